namespace AliTryOn.Cli.Manifest;

/// <summary>
/// A row of a manifest that cannot be used: its 1-based <see cref="Row"/>, what is wrong (naming the line or item), and
/// its <see cref="Id"/> as written, if it has one.
/// </summary>
internal sealed record ManifestError(int Row, string Message, string? Id = null);
