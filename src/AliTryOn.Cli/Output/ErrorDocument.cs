namespace AliTryOn.Cli.Output;

/// <summary>What <c>--json</c> prints on stdout when a command fails: <c>{"error": {"type": …, "message": …}}</c>.</summary>
internal sealed record ErrorDocument(ErrorDetail Error);
