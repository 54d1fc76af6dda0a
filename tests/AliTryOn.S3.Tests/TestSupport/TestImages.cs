using AliTryOn.Testing.Images;

namespace AliTryOn.S3.Tests.TestSupport;

/// <summary>Real PNG files the core's checks accept (sides from 400 to 4096 px), each different.</summary>
internal static class TestImages
{
    private static int _seed;

    /// <summary>A new PNG, by default 600 x 800, with a gradient of its own (so its SHA-256, and its object key, differ).</summary>
    public static byte[] Png(int width = 600, int height = 800)
    {
        var seed = Interlocked.Increment(ref _seed);
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 3;
                rgb[i] = (byte)(x + seed);
                rgb[i + 1] = (byte)(y * seed);
                rgb[i + 2] = (byte)seed;
            }
        }

        return PngEncoder.Encode(width, height, rgb);
    }
}
