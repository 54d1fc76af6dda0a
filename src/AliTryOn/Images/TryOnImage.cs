using System;
using System.IO;
using System.Text.Json.Serialization;
using AliTryOn.Serialization;

namespace AliTryOn;

/// <summary>
/// An image in a task: a URL the service downloads itself (<see cref="UrlImage"/>), or a local image the client publishes
/// through its image host before the submit: a file (<see cref="FileImage"/>), a stream (<see cref="StreamImage"/>) or
/// bytes (<see cref="BytesImage"/>).
/// </summary>
/// <remarks>
/// <para>
/// A <see cref="Uri"/> converts to a <see cref="UrlImage"/> implicitly, so <c>new TryOnTask(new Uri("https://…/me.jpg"), …)</c>
/// reads as before. Every image that is not a URL needs an image host (<see cref="TryOnClientOptions.ImageHost"/>, or a
/// <see cref="TryOnImageHost"/> registered with dependency injection); the client checks it against the service's input
/// rules (format, 400 to 4096 px on each side, <see cref="TryOnImageOptions.MaxBytes"/>) before anything is uploaded or
/// sent.
/// </para>
/// <para>
/// In JSON an image is its URL, a string. Files, streams and bytes have no JSON form (writing one throws
/// <see cref="NotSupportedException"/>), so a task read from untrusted JSON can never name a file on the server.
/// </para>
/// </remarks>
[JsonConverter(typeof(TryOnImageJsonConverter))]
public abstract record TryOnImage
{
    // Closed: the client knows how to get the bytes of each kind.
    private protected TryOnImage()
    {
    }

    /// <summary>The image as messages name it: a file's name, a URL without its query, or the name given to bytes or a stream.</summary>
    public abstract string DisplayName { get; }

    /// <summary>An image the service downloads from <paramref name="url"/>.</summary>
    /// <param name="url">An absolute <c>http</c> or <c>https</c> URL; the service must be able to reach it.</param>
    /// <returns>A <see cref="UrlImage"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="url"/> is <see langword="null"/>.</exception>
    public static TryOnImage FromUrl(Uri url) => new UrlImage(url ?? throw new ArgumentNullException(nameof(url)));

    /// <summary>A local image file, published through the client's image host before the submit.</summary>
    /// <param name="path">The file's path, absolute or relative to the current directory. It is read when the task is submitted.</param>
    /// <returns>A <see cref="FileImage"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or whitespace.</exception>
    public static TryOnImage FromFile(string path) => new FileImage(path);

    /// <summary>An image held in memory (a shopper's upload, say), published through the client's image host before the submit.</summary>
    /// <param name="content">The encoded image (JPEG, PNG, WebP…), not pixels.</param>
    /// <param name="contentType">Its media type as declared (an upload's), such as <c>image/jpeg</c>; any value, or none (<c>application/octet-stream</c> then): the format read from the bytes decides what is published, and content that is no image the service takes is refused at the submit (<see cref="TryOnImageCheckException"/>).</param>
    /// <param name="name">A name for messages and logs (the upload's file name, say); optional.</param>
    /// <returns>A <see cref="BytesImage"/>.</returns>
    public static TryOnImage FromBytes(ReadOnlyMemory<byte> content, string? contentType, string? name = null) => new BytesImage(content, contentType, name);

    /// <summary>An image read from a stream when the task is submitted, then published through the client's image host.</summary>
    /// <param name="content">A readable stream, read once from its current position; the caller keeps and disposes it.</param>
    /// <param name="contentType">Its media type as declared (an upload's), such as <c>image/jpeg</c>; any value, or none (<c>application/octet-stream</c> then): the format read from the bytes decides what is published, and content that is no image the service takes is refused at the submit (<see cref="TryOnImageCheckException"/>).</param>
    /// <param name="name">A name for messages and logs; optional.</param>
    /// <returns>A <see cref="StreamImage"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="content"/> cannot be read.</exception>
    public static TryOnImage FromStream(Stream content, string? contentType, string? name = null) => new StreamImage(content, contentType, name);

    /// <summary>An image the service downloads from <paramref name="url"/>; <see langword="null"/> stays <see langword="null"/>.</summary>
    /// <param name="url">An absolute <c>http</c> or <c>https</c> URL.</param>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(url))]
    public static implicit operator TryOnImage?(Uri? url) => url is null ? null : new UrlImage(url);

    /// <summary>
    /// A content type given with bytes or a stream, as declared: a browser sends <c>application/octet-stream</c>, or
    /// none, for a file it cannot type (a HEIC photo, a name without extension). The bytes decide what is published.
    /// </summary>
    private protected static string DeclaredContentType(string? contentType) =>
        string.IsNullOrWhiteSpace(contentType) ? "application/octet-stream" : contentType!.Trim();

    /// <summary>The name given, or a description of where the image came from.</summary>
    private protected static string NameOr(string? name, string fallback) => string.IsNullOrWhiteSpace(name) ? fallback : Path.GetFileName(name!.Trim());
}
