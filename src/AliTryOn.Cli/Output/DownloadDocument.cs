namespace AliTryOn.Cli.Output;

/// <summary><c>download --json</c>: the finished job and the files written.</summary>
internal sealed record DownloadDocument(string ResultKey, string Directory, int Succeeded, int Failed, IReadOnlyList<FileDocument> Files);
