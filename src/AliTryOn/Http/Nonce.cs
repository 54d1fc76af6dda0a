using System.Security.Cryptography;

namespace AliTryOn.Http;

/// <summary>Creates <c>X-Ca-Nonce</c> values: 128 bits from a cryptographically secure generator, as 32 lowercase hex digits.</summary>
internal static class Nonce
{
    public const int ByteLength = 16;

#if NET6_0_OR_GREATER
    public static string Create()
    {
        System.Span<byte> bytes = stackalloc byte[ByteLength];
        RandomNumberGenerator.Fill(bytes);
        return System.Convert.ToHexString(bytes).ToLowerInvariant();
    }
#else
    private const string HexDigits = "0123456789abcdef";

    public static string Create()
    {
        var bytes = new byte[ByteLength];
        using (var generator = RandomNumberGenerator.Create())
        {
            generator.GetBytes(bytes);
        }

        var chars = new char[ByteLength * 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = HexDigits[bytes[i] >> 4];
            chars[(2 * i) + 1] = HexDigits[bytes[i] & 0xF];
        }

        return new string(chars);
    }
#endif
}
