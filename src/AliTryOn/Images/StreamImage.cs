using System;
using System.IO;
using System.Text;

namespace AliTryOn;

/// <summary>
/// An image read from a stream when its task is submitted (once, from the stream's current position), checked against the
/// service's input rules and published through the client's image host. The caller keeps and disposes the stream.
/// </summary>
public sealed record StreamImage : TryOnImage
{
    /// <summary>An image read from a stream.</summary>
    /// <param name="content">A readable stream, such as an upload's request stream.</param>
    /// <param name="contentType">Its media type, such as <c>image/png</c>; it must start with <c>image/</c>.</param>
    /// <param name="name">A name for messages and logs; optional.</param>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="content"/> cannot be read, or <paramref name="contentType"/> is not an image media type.</exception>
    public StreamImage(Stream content, string contentType, string? name = null)
    {
        Content = content ?? throw new ArgumentNullException(nameof(content));
        if (!content.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(content));
        }

        ContentType = CheckedContentType(contentType, nameof(contentType));
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

    /// <summary>Writes the name and the type.</summary>
    protected override bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Name = ").Append(DisplayName).Append(", ContentType = ").Append(ContentType);
        return true;
    }
}
