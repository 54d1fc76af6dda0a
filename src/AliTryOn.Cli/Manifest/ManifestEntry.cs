namespace AliTryOn.Cli.Manifest;

/// <summary>A manifest row read and checked: its 1-based <see cref="Row"/>, its <see cref="Id"/> (safe as a file name) and its task.</summary>
internal sealed record ManifestEntry(int Row, string Id, TryOnTask Task);
