using System;

namespace AliTryOn;

/// <summary>
/// A local image file, read when the task is submitted, checked against the service's input rules, and published through
/// the client's image host.
/// </summary>
public sealed record FileImage : TryOnImage
{
    /// <summary>A local image file.</summary>
    /// <param name="path">The file's path, absolute or relative to the current directory.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or whitespace.</exception>
    public FileImage(string path)
    {
        Path = string.IsNullOrWhiteSpace(path) ? throw new ArgumentException("A file path is required.", nameof(path)) : path;
    }

    /// <summary>The file's path, as given.</summary>
    public string Path { get; }

    /// <summary>The file's name, without its folder.</summary>
    public override string DisplayName => System.IO.Path.GetFileName(Path);
}
