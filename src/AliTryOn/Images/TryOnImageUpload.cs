using System;
using System.Text;

namespace AliTryOn;

/// <summary>One image an image host is asked to publish.</summary>
/// <param name="Key">
/// A name for the image, unique to this submit and safe in a URL path or an object key:
/// <c>{random 32 hex digits}/{SHA-256 of the content, 64 hex digits}.{extension}</c>. Hosts add their own prefix.
/// </param>
/// <param name="Content">The encoded image, already checked against the service's input rules.</param>
/// <param name="ContentType">The media type read from the content (<c>image/jpeg</c>, <c>image/png</c>…).</param>
/// <param name="ExpiresAt">The URL must work until at least then (now plus <see cref="TryOnImageOptions.UrlLifetime"/>).</param>
public sealed record TryOnImageUpload(string Key, ReadOnlyMemory<byte> Content, string ContentType, DateTimeOffset ExpiresAt)
{
    /// <summary>
    /// The image's name as the task gave it (a file's name, the name given with bytes or a stream), for hosts that keep
    /// it as metadata; <see langword="null"/> when there is none. Never part of <see cref="Key"/>: names can be personal.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>Writes the key, the type, the length and the expiry, not the bytes.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Key = ").Append(Key).Append(", Name = ").Append(Name).Append(", ContentType = ").Append(ContentType)
            .Append(", Length = ").Append(Content.Length).Append(", ExpiresAt = ").Append(ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return true;
    }
}
