using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace AliTryOn.Cli.Tests.TestSupport;

/// <summary>
/// Real PNG files of any size, made here: the signature, an IHDR chunk with the width and height, the pixels (8-bit
/// grey, one shade) in a zlib-compressed IDAT chunk, and IEND, each chunk with its CRC-32.
/// </summary>
public static class PngImage
{
    private static readonly uint[] CrcTable = [.. Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }

        return c;
    })];

    /// <summary>A grey PNG of <paramref name="width"/> × <paramref name="height"/> pixels; another <paramref name="shade"/> gives other bytes.</summary>
    public static byte[] Create(int width, int height, byte shade = 128)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 0; // greyscale; compression, filter and interlace 0

        var scanlines = new byte[(width + 1) * height];
        for (var y = 0; y < height; y++)
        {
            // Each scanline: filter type 0, then one byte a pixel.
            scanlines.AsSpan((y * (width + 1)) + 1, width).Fill(shade);
        }

        using var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(pixels, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(scanlines);
        }

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", pixels.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Writes a PNG to <paramref name="path"/>, creating its folder.</summary>
    public static string Write(string path, int width, int height, byte shade = 128)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Create(width, height, shade));
        return path;
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        var crc = 0xFFFFFFFFu;
        foreach (var b in typeAndData)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        BinaryPrimitives.WriteUInt32BigEndian(number, crc ^ 0xFFFFFFFFu);
        png.Write(number);
    }
}
