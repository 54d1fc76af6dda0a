namespace AliTryOn.S3.Tests.TestSupport;

/// <summary>Real PNG files the core's checks accept (sides from 400 to 4096 px), each one different from the last.</summary>
internal static class Pngs
{
    private static int _count;

    /// <summary>
    /// A new PNG of about <paramref name="width"/> x <paramref name="height"/>: a few pixels wider each time, so its
    /// SHA-256, and so its object key, is its own.
    /// </summary>
    public static byte[] Next(int width = 600, int height = 800) => TestImages.Png(width + Interlocked.Increment(ref _count), height);
}
