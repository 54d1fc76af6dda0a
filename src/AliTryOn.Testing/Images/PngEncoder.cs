using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;

namespace AliTryOn.Testing.Images;

/// <summary>Writes 8-bit RGB pixels as a minimal, valid PNG file (no filtering, no interlace, no ancillary chunks).</summary>
internal static class PngEncoder
{
    // Large images are split over several IDAT chunks, as common encoders do, so readers never see a huge chunk.
    private const int MaxIdatLength = 1 << 16;

    private const int ChunkOverhead = 12; // length, type and CRC
    private const int HeaderLength = 13;
    private const byte BitDepth = 8;
    private const byte ColourTypeRgb = 2;

    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes <paramref name="rgb"/> (rows top to bottom, 3 bytes a pixel) as a complete PNG file.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The width or height is not positive.</exception>
    /// <exception cref="ArgumentException">The buffer does not hold exactly width * height * 3 bytes.</exception>
    public static byte[] Encode(int width, int height, ReadOnlySpan<byte> rgb)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var rowLength = (long)width * 3;
        if (rowLength * height != rgb.Length)
        {
            throw new ArgumentException(
                $"A {width}x{height} RGB image needs {rowLength * height} bytes, but the buffer has {rgb.Length}.",
                nameof(rgb));
        }

        using var compressed = new MemoryStream();
        Compress(rgb, (int)rowLength, height, compressed);
        var data = new ReadOnlySpan<byte>(compressed.GetBuffer(), 0, (int)compressed.Length);

        var idatCount = Math.Max(1, (data.Length + MaxIdatLength - 1) / MaxIdatLength);
        var png = new byte[Signature.Length
            + ChunkOverhead + HeaderLength
            + (idatCount * ChunkOverhead) + data.Length
            + ChunkOverhead];
        var output = png.AsSpan();

        Signature.CopyTo(output);
        var position = Signature.Length;

        Span<byte> header = stackalloc byte[HeaderLength];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = BitDepth;
        header[9] = ColourTypeRgb;
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method: adaptive (every row uses filter type 0, None)
        header[12] = 0; // interlace: none
        position += WriteChunk(output[position..], "IHDR"u8, header);

        // Even an empty zlib stream needs its own IDAT, hence the do-while.
        var offset = 0;
        do
        {
            var length = Math.Min(MaxIdatLength, data.Length - offset);
            position += WriteChunk(output[position..], "IDAT"u8, data.Slice(offset, length));
            offset += length;
        }
        while (offset < data.Length);

        position += WriteChunk(output[position..], "IEND"u8, []);
        Debug.Assert(position == png.Length, "The PNG's size was miscalculated.");
        return png;
    }

    private static void Compress(ReadOnlySpan<byte> rgb, int rowLength, int height, Stream destination)
    {
        // One rented row buffer holds the filter byte and the row, so each scanline is a single write.
        var row = ArrayPool<byte>.Shared.Rent(rowLength + 1);
        try
        {
            row[0] = 0; // filter type None
            using var zlib = new ZLibStream(destination, CompressionLevel.Fastest, leaveOpen: true);
            for (var y = 0; y < height; y++)
            {
                rgb.Slice(y * rowLength, rowLength).CopyTo(row.AsSpan(1));
                zlib.Write(row, 0, rowLength + 1);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(row);
        }
    }

    private static int WriteChunk(Span<byte> destination, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, data.Length);
        type.CopyTo(destination[4..]);
        data.CopyTo(destination[8..]);
        var crc = Crc32.Append(Crc32.Compute(type), data);
        BinaryPrimitives.WriteUInt32BigEndian(destination[(8 + data.Length)..], crc);
        return ChunkOverhead + data.Length;
    }
}
