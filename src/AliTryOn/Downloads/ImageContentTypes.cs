namespace AliTryOn.Downloads;

/// <summary>What counts as an image, and the file extension of each image type.</summary>
internal static class ImageContentTypes
{
    private const string ImagePrefix = "image/";

    /// <summary>Whether the media type is <c>image/</c> followed by a subtype.</summary>
    public static bool IsImage(string? mediaType) =>
        mediaType is not null
        && mediaType.Length > ImagePrefix.Length
        && mediaType.StartsWith(ImagePrefix, System.StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The extension, with its dot, for an image media type: <c>.png</c>, <c>.jpg</c>, <c>.webp</c>… An unlisted
    /// subtype made of letters and digits gives itself (<c>image/jxl</c> → <c>.jxl</c>); anything else <c>.img</c>.
    /// </summary>
    public static string ExtensionOf(string mediaType)
    {
        var subtype = IsImage(mediaType) ? mediaType.Substring(ImagePrefix.Length).Trim() : string.Empty;
        switch (subtype.ToUpperInvariant())
        {
            case "PNG":
            case "X-PNG":
            case "APNG":
                return ".png";
            case "JPEG":
            case "JPG":
            case "PJPEG":
                return ".jpg";
            case "WEBP":
                return ".webp";
            case "GIF":
                return ".gif";
            case "BMP":
            case "X-BMP":
            case "X-MS-BMP":
                return ".bmp";
            case "TIFF":
                return ".tiff";
            case "AVIF":
                return ".avif";
            case "HEIC":
                return ".heic";
            case "HEIF":
                return ".heif";
            case "SVG+XML":
                return ".svg";
            case "X-ICON":
            case "VND.MICROSOFT.ICON":
                return ".ico";
        }

        if (subtype.Length is 0 or > 10)
        {
            return ".img";
        }

        var extension = new char[subtype.Length + 1];
        extension[0] = '.';
        for (var i = 0; i < subtype.Length; i++)
        {
            var c = subtype[i];
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                extension[i + 1] = c;
            }
            else if (c is >= 'A' and <= 'Z')
            {
                extension[i + 1] = (char)(c + ('a' - 'A'));
            }
            else
            {
                return ".img";
            }
        }

        return new string(extension);
    }
}
