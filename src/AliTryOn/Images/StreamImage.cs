using System;
using System.IO;
using System.Text;
using System.Threading.Tasks;

namespace AliTryOn;

/// <summary>
/// An image read from a stream the first time it is needed (once, from the stream's current position), checked against
/// the service's input rules and published through the client's image host. The caller keeps and disposes the stream.
/// </summary>
/// <remarks>
/// What is read is kept for every later use of the image (and of its copies): a check before the submit
/// (<see cref="TryOnClient.CheckImagesAsync"/>), the submit, a submit again after a failure, and the batches of a bulk
/// run that share one photo, which read it once between them. A read that failed or was cancelled cannot be made
/// again: the stream has moved on, so give the task a new <see cref="StreamImage"/>.
/// </remarks>
public sealed record StreamImage : TryOnImage
{
    /// <summary>The one read of the stream, shared by every use of this image and by its copies (<c>with</c>).</summary>
    private readonly OnceRead _read = new();

    /// <summary>An image read from a stream.</summary>
    /// <param name="content">A readable stream, such as an upload's request stream.</param>
    /// <param name="contentType">Its media type as declared (an upload's), such as <c>image/jpeg</c>; any value, or none (<c>application/octet-stream</c> then): the format read from the bytes decides what is published, and content that is no image the service takes is refused at the submit (<see cref="TryOnImageCheckException"/>).</param>
    /// <param name="name">A name for messages and logs; optional.</param>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="content"/> cannot be read.</exception>
    public StreamImage(Stream content, string? contentType, string? name = null)
    {
        Content = content ?? throw new ArgumentNullException(nameof(content));
        if (!content.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(content));
        }

        ContentType = DeclaredContentType(contentType);
        Name = name;
    }

    /// <summary>The stream the image is read from.</summary>
    public Stream Content { get; }

    /// <summary>The media type given.</summary>
    public string ContentType { get; }

    /// <summary>The name given, if any.</summary>
    public string? Name { get; }

    /// <summary>The name given, or "image stream".</summary>
    public override string DisplayName => NameOr(Name, "image stream");

    /// <summary>Whether <paramref name="other"/> is the same stream, type and name (what was read does not count).</summary>
    /// <param name="other">The image to compare with.</param>
    public bool Equals(StreamImage? other) =>
        other is not null && ReferenceEquals(Content, other.Content) && ContentType == other.ContentType && Name == other.Name;

    /// <summary>The stream's hash: images equal by <see cref="Equals(StreamImage)"/> share their stream.</summary>
    public override int GetHashCode() => Content.GetHashCode();

    /// <summary>
    /// The stream's content, read by <paramref name="read"/> the first time and kept: every caller, at once or later,
    /// awaits that one read.
    /// </summary>
    internal Task<ReadOnlyMemory<byte>?> ReadOnceAsync(Func<Stream, Task<ReadOnlyMemory<byte>?>> read)
    {
        lock (_read)
        {
            return _read.Task ??= read(Content);
        }
    }

    /// <summary>Writes the name and the type.</summary>
    protected override bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Name = ").Append(DisplayName).Append(", ContentType = ").Append(ContentType);
        return true;
    }

    private sealed class OnceRead
    {
        public Task<ReadOnlyMemory<byte>?>? Task { get; set; }
    }
}
