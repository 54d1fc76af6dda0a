namespace AliTryOn.AspNetCore.Signing;

/// <summary>
/// The only image names the host stores and serves: the core's keys, <c>{32 hex}/{64 hex}.{jpg|png|webp|bmp|gif}</c>,
/// lower-case hex. Anything else (dots, encoded slashes, back-slashes, other case) is refused before it reaches a store,
/// so a key can never name a file outside the host's folder or another entry of a shared cache.
/// </summary>
internal static class ImageKey
{
    private const int FolderLength = 32;
    private const int HashLength = 64;
    private const int ExtensionStart = FolderLength + 1 + HashLength + 1;

    /// <summary>Whether <paramref name="key"/> is a well-formed image key, and the media type its extension stands for.</summary>
    public static bool TryParse(string? key, out string contentType)
    {
        contentType = string.Empty;
        if (key is null || key.Length <= ExtensionStart || key[FolderLength] != '/' || key[ExtensionStart - 1] != '.')
        {
            return false;
        }

        if (!IsLowerHex(key, 0, FolderLength) || !IsLowerHex(key, FolderLength + 1, HashLength))
        {
            return false;
        }

        var type = key[ExtensionStart..] switch
        {
            "jpg" => "image/jpeg",
            "png" => "image/png",
            "webp" => "image/webp",
            "bmp" => "image/bmp",
            "gif" => "image/gif",
            _ => null,
        };
        if (type is null)
        {
            return false;
        }

        contentType = type;
        return true;
    }

    /// <summary>The submit's folder (<c>{32 hex}</c>) of a well-formed key.</summary>
    public static string Folder(string key) => key[..FolderLength];

    /// <summary>The file name (<c>{64 hex}.{ext}</c>) of a well-formed key.</summary>
    public static string FileName(string key) => key[(FolderLength + 1)..];

    /// <summary>Whether <paramref name="name"/> is a folder name a key can have.</summary>
    public static bool IsFolder(string name) => name.Length == FolderLength && IsLowerHex(name, 0, FolderLength);

    private static bool IsLowerHex(string text, int start, int length)
    {
        for (var i = start; i < start + length; i++)
        {
            if (!char.IsAsciiHexDigitLower(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
