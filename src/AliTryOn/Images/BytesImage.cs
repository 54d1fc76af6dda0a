using System;
using System.Text;

namespace AliTryOn;

/// <summary>An image held in memory, checked against the service's input rules and published through the client's image host.</summary>
public sealed record BytesImage : TryOnImage
{
    /// <summary>An image held in memory.</summary>
    /// <param name="content">The encoded image (JPEG, PNG, WebP…). Not copied: do not change it until the submit has returned.</param>
    /// <param name="contentType">Its media type, such as <c>image/jpeg</c>; it must start with <c>image/</c>.</param>
    /// <param name="name">A name for messages and logs (the upload's file name, say); optional.</param>
    /// <exception cref="ArgumentException"><paramref name="contentType"/> is not an image media type.</exception>
    public BytesImage(ReadOnlyMemory<byte> content, string contentType, string? name = null)
    {
        Content = content;
        ContentType = CheckedContentType(contentType, nameof(contentType));
        Name = name;
    }

    /// <summary>The encoded image.</summary>
    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>The media type given.</summary>
    public string ContentType { get; }

    /// <summary>The name given, if any.</summary>
    public string? Name { get; }

    /// <summary>The name given, or "image bytes".</summary>
    public override string DisplayName => NameOr(Name, "image bytes");

    /// <summary>Writes the name, the type and the length, not the bytes.</summary>
    protected override bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Name = ").Append(DisplayName).Append(", ContentType = ").Append(ContentType).Append(", Length = ").Append(Content.Length);
        return true;
    }
}
