using System;
using System.Security.Cryptography;

namespace AliTryOn.Http;

/// <summary>Creates <c>X-Ca-Nonce</c> values: 128 bits from a cryptographically secure generator, as 32 lowercase hex digits.</summary>
internal static class Nonce
{
    public const int ByteLength = 16;

    /// <summary>One nonce, at the cost of a call to the generator; a handler uses a <see cref="NonceGenerator"/> instead.</summary>
    public static string Create()
    {
#if NET6_0_OR_GREATER
        Span<byte> bytes = stackalloc byte[ByteLength];
        RandomNumberGenerator.Fill(bytes);
#else
        var bytes = new byte[ByteLength];
        Fill(bytes);
#endif
        return ToLowerHex(bytes);
    }

    /// <summary>Fills <paramref name="buffer"/> from the cryptographically secure generator.</summary>
    public static void Fill(byte[] buffer)
    {
#if NET6_0_OR_GREATER
        RandomNumberGenerator.Fill(buffer);
#else
        using var generator = RandomNumberGenerator.Create();
        generator.GetBytes(buffer);
#endif
    }

    /// <summary><paramref name="bytes"/> as lowercase hex digits, two per byte.</summary>
    public static string ToLowerHex(ReadOnlySpan<byte> bytes)
    {
#if NET9_0_OR_GREATER
        return Convert.ToHexStringLower(bytes);
#elif NET6_0_OR_GREATER
        return Convert.ToHexString(bytes).ToLowerInvariant();
#else
        const string HexDigits = "0123456789abcdef";
        var chars = new char[bytes.Length * 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = HexDigits[bytes[i] >> 4];
            chars[(2 * i) + 1] = HexDigits[bytes[i] & 0xF];
        }

        return new string(chars);
#endif
    }
}
