using System.Buffers.Binary;
using System.IO.Compression;

namespace AliTryOn.Tests.Shared;

/// <summary>
/// Image files built byte by byte from their formats' specifications, independently of the SDK's reader: a complete PNG
/// (a decoder reads it), and the headers of the other formats (all a header reader needs).
/// </summary>
internal static class TestImages
{
    /// <summary>A complete, decodable grey PNG.</summary>
    public static byte[] Png(int width, int height)
    {
        var raw = new byte[(1 + width) * height]; // one filter byte per row, then one grey byte per pixel
        for (var y = 0; y < height; y++)
        {
            raw.AsSpan((y * (width + 1)) + 1, width).Fill((byte)(0x40 + (y % 0x80)));
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth; colour type 0 (grey), compression, filter and interlace 0
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A baseline JPEG's header: SOI, a JFIF APP0, the SOF0 frame with the size, EOI.</summary>
    public static byte[] Jpeg(int width, int height)
    {
        using var jpeg = new MemoryStream();
        jpeg.Write([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
        jpeg.Write([0xFF, 0xC0, 0x00, 0x11, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
        jpeg.Write([0xFF, 0xD9]);
        return jpeg.ToArray();
    }

    /// <summary>An extended WebP's header: RIFF, WEBP, a VP8X chunk with the canvas size.</summary>
    public static byte[] WebP(int width, int height)
    {
        var vp8x = new byte[10];
        WriteUInt24(vp8x.AsSpan(4), width - 1);
        WriteUInt24(vp8x.AsSpan(7), height - 1);
        var body = new MemoryStream();
        body.Write("WEBP"u8);
        body.Write("VP8X"u8);
        body.Write(LittleEndian(vp8x.Length));
        body.Write(vp8x);
        using var webp = new MemoryStream();
        webp.Write("RIFF"u8);
        webp.Write(LittleEndian((int)body.Length));
        webp.Write(body.ToArray());
        return webp.ToArray();
    }

    /// <summary>A GIF89a's header: signature and logical screen size.</summary>
    public static byte[] Gif(int width, int height) =>
        [.. "GIF89a"u8, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0, 0, 0, 0x3B];

    /// <summary>An HEIC file's first box (ftyp, brand heic): an image, in a format the service does not name.</summary>
    public static byte[] Heic() =>
        [0, 0, 0, 0x18, .. "ftyp"u8, .. "heic"u8, 0, 0, 0, 0, .. "mif1"u8, .. "heic"u8, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>Text that is no image at all.</summary>
    public static byte[] Text() => "These are the garment's care instructions, not its photo."u8.ToArray();

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed, 4);
        png.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        png.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }

    private static byte[] LittleEndian(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    private static void WriteUInt24(Span<byte> target, int value)
    {
        target[0] = (byte)value;
        target[1] = (byte)(value >> 8);
        target[2] = (byte)(value >> 16);
    }
}
