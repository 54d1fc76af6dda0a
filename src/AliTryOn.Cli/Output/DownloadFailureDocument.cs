namespace AliTryOn.Cli.Output;

/// <summary>An image of <c>download --json</c> that could not be downloaded: where in the job, the error's type and message.</summary>
internal sealed record DownloadFailureDocument(int TaskIndex, int ResultIndex, string Error, string Message);
