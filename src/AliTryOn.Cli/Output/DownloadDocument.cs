namespace AliTryOn.Cli.Output;

/// <summary><c>download --json</c>: the finished job, the files written, and the images that could not be downloaded.</summary>
internal sealed record DownloadDocument(string ResultKey, string Directory, int Succeeded, int Failed, IReadOnlyList<FileDocument> Files, IReadOnlyList<DownloadFailureDocument> DownloadErrors);
