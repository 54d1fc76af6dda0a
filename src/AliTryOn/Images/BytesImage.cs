using System;
using System.Text;

namespace AliTryOn;

/// <summary>An image held in memory, checked against the service's input rules and published through the client's image host.</summary>
public sealed record BytesImage : TryOnImage
{
    /// <summary>An image held in memory.</summary>
    /// <param name="content">The encoded image (JPEG, PNG, WebP…). Not copied: do not change it until the submit has returned.</param>
    /// <param name="contentType">Its media type as declared (an upload's), such as <c>image/jpeg</c>; any value, or none (<c>application/octet-stream</c> then): the format read from the bytes decides what is published, and content that is no image the service takes is refused at the submit (<see cref="TryOnImageCheckException"/>).</param>
    /// <param name="name">A name for messages and logs (the upload's file name, say); optional.</param>
    public BytesImage(ReadOnlyMemory<byte> content, string? contentType, string? name = null)
    {
        Content = content;
        ContentType = DeclaredContentType(contentType);
        Name = name;
    }

    /// <summary>The encoded image.</summary>
    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>The media type given; <c>application/octet-stream</c> when none was.</summary>
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
