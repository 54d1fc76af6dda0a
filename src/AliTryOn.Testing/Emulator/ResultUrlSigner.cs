using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AliTryOn.Testing;

/// <summary>
/// Signs and checks result URLs like expiring object-storage links: <c>?Expires=&lt;unix seconds&gt;&amp;Signature=&lt;hex&gt;</c>,
/// with a key only this emulator knows.
/// </summary>
internal sealed class ResultUrlSigner
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Sign(string path, long expires) =>
        string.Create(CultureInfo.InvariantCulture, $"?Expires={expires}&Signature={Signature(path, expires)}");

    /// <summary>Whether the query string carries a valid signature for the path; <paramref name="expires"/> is its expiry.</summary>
    public bool Verify(string path, string queryString, out long expires)
    {
        expires = 0;
        string? signature = null;
        foreach (var part in queryString.TrimStart('?').Split('&'))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                continue;
            }

            var name = part[..separator];
            var value = Uri.UnescapeDataString(part[(separator + 1)..]);
            if (name == "Expires")
            {
                _ = long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out expires);
            }
            else if (name == "Signature")
            {
                signature = value;
            }
        }

        return signature is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(signature),
            Encoding.ASCII.GetBytes(Signature(path, expires)));
    }

    private string Signature(string path, long expires)
    {
        var message = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{path}\n{expires}"));
        return Convert.ToHexString(HMACSHA256.HashData(_key, message), 0, 16).ToLowerInvariant();
    }
}
