namespace AliTryOn;

/// <summary>
/// The image formats the client lets through: those the service names (JPEG, PNG, WebP) and the other common formats
/// browsers and image services read everywhere (BMP, GIF). Anything else (HEIC, TIFF, AVIF, SVG…) is refused before it
/// costs anything; convert it to JPEG.
/// </summary>
public enum TryOnImageFormat
{
    /// <summary>JPEG (<c>image/jpeg</c>, <c>.jpg</c>).</summary>
    Jpeg,

    /// <summary>PNG (<c>image/png</c>).</summary>
    Png,

    /// <summary>WebP (<c>image/webp</c>).</summary>
    WebP,

    /// <summary>BMP (<c>image/bmp</c>).</summary>
    Bmp,

    /// <summary>GIF (<c>image/gif</c>); the service reads its first frame.</summary>
    Gif,
}
