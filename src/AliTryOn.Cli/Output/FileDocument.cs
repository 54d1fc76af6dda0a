namespace AliTryOn.Cli.Output;

/// <summary>One downloaded image.</summary>
internal sealed record FileDocument(string Path, int? TaskIndex, int? ResultIndex, string ContentType, long Bytes);
