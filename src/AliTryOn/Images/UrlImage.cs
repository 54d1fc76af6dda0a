using System;
using System.Text;
using AliTryOn.Diagnostics;

namespace AliTryOn;

/// <summary>An image the service downloads itself from <paramref name="Url"/>.</summary>
/// <param name="Url">
/// Absolute <c>http</c> or <c>https</c> URL of the image. The service downloads it, so it must be publicly reachable;
/// <see cref="TryOnImageOptions.CheckUrls"/> checks that before the submit.
/// </param>
/// <remarks><see cref="object.ToString"/> shows the URL without its query or user information: a presigned link is a credential.</remarks>
public sealed record UrlImage(Uri Url) : TryOnImage
{
    /// <summary>The URL without its query, fragment or user information.</summary>
    public override string DisplayName => UrlDisplay.Show(Url);

    /// <summary>Writes the URL as <see cref="DisplayName"/> shows it.</summary>
    protected override bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Url = ").Append(DisplayName);
        return true;
    }
}
