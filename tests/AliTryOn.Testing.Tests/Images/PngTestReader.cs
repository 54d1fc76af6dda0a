using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace AliTryOn.Testing.Tests.Images;

/// <summary>
/// An independent reader for the PNGs the encoder writes (8-bit RGB, filter type 0 only), so the tests check
/// the file format itself rather than trusting the production code's own helpers.
/// </summary>
internal static class PngTestReader
{
    public static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static List<PngChunk> ReadChunks(byte[] png)
    {
        Assert.True(png.AsSpan().StartsWith(Signature), "The file does not start with the PNG signature.");

        var chunks = new List<PngChunk>();
        var position = Signature.Length;
        while (position < png.Length)
        {
            Assert.True(png.Length - position >= 12, $"A truncated chunk starts at offset {position}.");
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(position));
            Assert.InRange(length, 0, png.Length - position - 12);
            var type = Encoding.ASCII.GetString(png, position + 4, 4);
            var data = png.AsSpan(position + 8, length).ToArray();
            var storedCrc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position + 8 + length));
            var computedCrc = ReferenceCrc32(png.AsSpan(position + 4, 4 + length));
            chunks.Add(new PngChunk(type, data, storedCrc, computedCrc));
            position += 12 + length;
        }

        return chunks;
    }

    /// <summary>The raw (still filtered) scanlines: every IDAT's data concatenated and inflated.</summary>
    public static byte[] ReadScanlines(byte[] png)
    {
        var zlib = ReadChunks(png).Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray();
        using var input = new MemoryStream(zlib);
        using var inflater = new ZLibStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        inflater.CopyTo(output);
        return output.ToArray();
    }

    public static DecodedImage Decode(byte[] png)
    {
        var header = ReadChunks(png)[0];
        Assert.Equal("IHDR", header.Type);
        var width = BinaryPrimitives.ReadInt32BigEndian(header.Data);
        var height = BinaryPrimitives.ReadInt32BigEndian(header.Data.AsSpan(4));
        Assert.Equal([8, 2, 0, 0, 0], header.Data[8..]);

        var scanlines = ReadScanlines(png);
        var stride = 1 + (width * 3);
        Assert.Equal(height * stride, scanlines.Length);

        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            Assert.Equal(0, scanlines[y * stride]);
            scanlines.AsSpan((y * stride) + 1, width * 3).CopyTo(rgb.AsSpan(y * width * 3));
        }

        return new DecodedImage(width, height, rgb);
    }

    /// <summary>Bit-at-a-time CRC-32 (polynomial 0xEDB88320) straight from the PNG specification, without a table.</summary>
    public static uint ReferenceCrc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return crc ^ 0xFFFFFFFFu;
    }
}
