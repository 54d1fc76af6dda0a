using System.Buffers.Binary;
using AliTryOn.Testing.Images;

namespace AliTryOn.Testing.Tests.Images;

public class PngEncoderTests
{
    private static readonly ResultCard Card = new(
        "93be295cc7354d59bb6c3d12120f66c0", 2, 1, "https://example.com/models/anna.jpg",
        "https://example.com/garments/shirt.png", "https://example.com/garments/jeans.png", null, true);

    [Fact]
    public void A_rendered_card_starts_with_the_png_signature()
    {
        var png = ResultImageRenderer.Render(Card);

        Assert.Equal(PngTestReader.Signature, png[..8]);
    }

    [Fact]
    public void Chunks_come_in_order_IHDR_IDAT_IEND_and_fill_the_file()
    {
        var chunks = PngTestReader.ReadChunks(ResultImageRenderer.Render(Card));

        Assert.Equal("IHDR", chunks[0].Type);
        Assert.True(chunks.Count >= 3);
        Assert.All(chunks.Skip(1).SkipLast(1), c => Assert.Equal("IDAT", c.Type));
        Assert.Equal("IEND", chunks[^1].Type);
        Assert.Empty(chunks[^1].Data);
    }

    [Fact]
    public void Every_chunk_crc_matches_an_independent_crc()
    {
        var chunks = PngTestReader.ReadChunks(ResultImageRenderer.Render(Card));

        Assert.All(chunks, c => Assert.Equal(c.ComputedCrc, c.StoredCrc));
    }

    [Fact]
    public void The_header_says_480x640_8_bit_rgb_deflate_no_interlace()
    {
        var header = PngTestReader.ReadChunks(ResultImageRenderer.Render(Card))[0];

        Assert.Equal(13, header.Data.Length);
        Assert.Equal(480, BinaryPrimitives.ReadInt32BigEndian(header.Data));
        Assert.Equal(640, BinaryPrimitives.ReadInt32BigEndian(header.Data.AsSpan(4)));
        Assert.Equal(8, header.Data[8]);   // bit depth
        Assert.Equal(2, header.Data[9]);   // colour type: RGB
        Assert.Equal(0, header.Data[10]);  // compression
        Assert.Equal(0, header.Data[11]);  // filter method
        Assert.Equal(0, header.Data[12]);  // interlace
    }

    [Fact]
    public void The_image_data_inflates_to_one_unfiltered_scanline_per_row()
    {
        var scanlines = PngTestReader.ReadScanlines(ResultImageRenderer.Render(Card));

        const int Stride = 1 + (480 * 3);
        Assert.Equal(640 * Stride, scanlines.Length);
        for (var y = 0; y < 640; y++)
        {
            Assert.Equal(0, scanlines[y * Stride]);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 5)]
    [InlineData(3, 200)]
    public void Pixels_round_trip(int width, int height)
    {
        var rgb = new byte[width * height * 3];
        for (var i = 0; i < rgb.Length; i++)
        {
            rgb[i] = (byte)((i * 31) + (i / 7));
        }

        var image = PngTestReader.Decode(PngEncoder.Encode(width, height, rgb));

        Assert.Equal((width, height), (image.Width, image.Height));
        Assert.Equal(rgb, image.Rgb);
    }

    [Fact]
    public void Incompressible_data_is_split_over_several_valid_IDAT_chunks_that_still_round_trip()
    {
        var rgb = new byte[300 * 300 * 3];
        new Random(7).NextBytes(rgb);

        var png = PngEncoder.Encode(300, 300, rgb);
        var chunks = PngTestReader.ReadChunks(png);

        Assert.True(chunks.Count(c => c.Type == "IDAT") > 1);
        Assert.Equal(["IHDR", .. Enumerable.Repeat("IDAT", chunks.Count - 2), "IEND"], chunks.Select(c => c.Type));
        Assert.All(chunks, c => Assert.Equal(c.ComputedCrc, c.StoredCrc));
        Assert.Equal(rgb, PngTestReader.Decode(png).Rgb);
    }

    [Fact]
    public void The_same_pixels_give_the_same_bytes()
    {
        var rgb = new byte[64 * 48 * 3];
        new Random(3).NextBytes(rgb);

        Assert.Equal(PngEncoder.Encode(64, 48, rgb), PngEncoder.Encode(64, 48, rgb));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4 * 3 * 3 - 1)]
    [InlineData(4 * 3 * 3 + 1)]
    [InlineData(4 * 3 * 4)]
    public void A_buffer_of_the_wrong_length_is_rejected(int length)
    {
        var exception = Assert.Throws<ArgumentException>(() => PngEncoder.Encode(4, 3, new byte[length]));

        Assert.Equal("rgb", exception.ParamName);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(-1, 1)]
    [InlineData(1, -1)]
    public void Sizes_that_are_not_positive_are_rejected(int width, int height)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.Encode(width, height, []));
    }
}
