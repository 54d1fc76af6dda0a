namespace AliTryOn.Cli.Output;

/// <summary><c>submit --json</c>.</summary>
internal sealed record SubmitDocument(string ResultKey, string? RequestId, int TaskCount);
