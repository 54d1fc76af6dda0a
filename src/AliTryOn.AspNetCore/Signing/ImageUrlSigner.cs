using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace AliTryOn.AspNetCore.Signing;

/// <summary>
/// Signs and checks image URLs: <c>sig</c> is the HMAC-SHA256, under the UTF-8 bytes of the signing key, of
/// <c>AliTryOn.AppImageHost.v1\n{key}\n{expires}</c> (the expiry in Unix seconds, as written in the URL), in base64url
/// without padding (43 characters). The purpose prefix keeps these signatures apart from anything else the same key
/// might sign.
/// </summary>
internal sealed class ImageUrlSigner(string signingKey)
{
    private const string Purpose = "AliTryOn.AppImageHost.v1\n";

    private readonly byte[] _key = Encoding.UTF8.GetBytes(signingKey);

    /// <summary>The signature of <paramref name="key"/> until <paramref name="expires"/> (Unix seconds).</summary>
    public string Sign(string key, long expires)
    {
        var message = Encoding.UTF8.GetBytes(Purpose + key + "\n" + expires.ToString(CultureInfo.InvariantCulture));
        return Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_key, message));
    }

    /// <summary>Whether <paramref name="signature"/> is exactly the one <see cref="Sign"/> makes, compared in constant time.</summary>
    public bool Verify(string key, long expires, string signature)
    {
        var expected = Sign(key, expires);

        // The length is no secret (every signature has 43 characters); the characters are compared in constant time.
        return signature.Length == expected.Length
            && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected.AsSpan()), MemoryMarshal.AsBytes(signature.AsSpan()));
    }

    /// <summary>The name only: never the key.</summary>
    public override string ToString() => nameof(ImageUrlSigner);
}
