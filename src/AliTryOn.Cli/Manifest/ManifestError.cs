namespace AliTryOn.Cli.Manifest;

/// <summary>A row of a manifest that cannot be used: its 1-based <see cref="Row"/> and what is wrong, naming the line or item.</summary>
internal sealed record ManifestError(int Row, string Message);
