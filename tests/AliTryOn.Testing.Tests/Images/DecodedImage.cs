namespace AliTryOn.Testing.Tests.Images;

/// <summary>The pixels of a decoded PNG, 3 bytes a pixel, rows top to bottom; colours are 0xRRGGBB.</summary>
internal sealed record DecodedImage(int Width, int Height, byte[] Rgb)
{
    public int PixelAt(int x, int y)
    {
        var i = ((y * Width) + x) * 3;
        return (Rgb[i] << 16) | (Rgb[i + 1] << 8) | Rgb[i + 2];
    }

    public int Count(int color)
    {
        var count = 0;
        for (var i = 0; i < Rgb.Length; i += 3)
        {
            if (((Rgb[i] << 16) | (Rgb[i + 1] << 8) | Rgb[i + 2]) == color)
            {
                count++;
            }
        }

        return count;
    }

    public List<(int X, int Y)> Differences(DecodedImage other)
    {
        Assert.Equal((Width, Height), (other.Width, other.Height));
        var differences = new List<(int X, int Y)>();
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                if (PixelAt(x, y) != other.PixelAt(x, y))
                {
                    differences.Add((x, y));
                }
            }
        }

        return differences;
    }
}
