using System.Text;
using AliTryOn.Testing.Images;

namespace AliTryOn.Testing.Tests.Images;

public class Crc32Tests
{
    [Fact]
    public void The_check_value_of_123456789_is_CBF43926()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void Empty_input_gives_zero()
    {
        Assert.Equal(0u, Crc32.Compute([]));
    }

    [Fact]
    public void The_well_known_CRC_of_an_IEND_chunk_comes_out()
    {
        Assert.Equal(0xAE426082u, Crc32.Compute(Encoding.ASCII.GetBytes("IEND")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(256)]
    [InlineData(10_000)]
    public void Matches_a_bitwise_reference_implementation(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);

        Assert.Equal(PngTestReader.ReferenceCrc32(data), Crc32.Compute(data));
    }

    [Fact]
    public void Appending_in_pieces_gives_the_crc_of_the_whole()
    {
        var data = new byte[1000];
        new Random(42).NextBytes(data);

        var crc = Crc32.Compute(data.AsSpan(0, 3));
        crc = Crc32.Append(crc, data.AsSpan(3, 500));
        crc = Crc32.Append(crc, data.AsSpan(503));

        Assert.Equal(Crc32.Compute(data), crc);
    }
}
