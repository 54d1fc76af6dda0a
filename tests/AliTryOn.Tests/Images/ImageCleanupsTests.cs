using AliTryOn.Images;

namespace AliTryOn.Tests.Images;

/// <summary>The images kept for jobs not yet seen ending: forgotten once their links expired, so none is held for good.</summary>
public sealed class ImageCleanupsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Images_of_a_job_never_seen_ending_are_forgotten_once_their_links_expired()
    {
        var host = new RecordingImageHost();
        var cleanups = new ImageCleanups();

        cleanups.Add("old", new PublishedImages(host, ["a"], Start.AddHours(1)), Start);
        cleanups.Add("new", new PublishedImages(host, ["b"], Start.AddHours(3)), Start.AddMinutes(30));
        Assert.Equal(2, cleanups.Count); // "old" has 30 minutes left

        cleanups.Add("later", new PublishedImages(host, ["c"], Start.AddHours(4)), Start.AddHours(1));

        Assert.Equal(2, cleanups.Count);
        Assert.Empty(cleanups.KeysOf("old"));
        Assert.Equal(["b"], cleanups.KeysOf("new"));
        Assert.Equal(["c"], cleanups.KeysOf("later"));
        Assert.Empty(host.Deleted); // forgotten, not deleted: the host's own expiry or the bucket's rule takes them
    }

    [Fact]
    public void Expired_images_are_looked_for_at_most_once_a_minute()
    {
        var host = new RecordingImageHost();
        var cleanups = new ImageCleanups();

        cleanups.Add("a", new PublishedImages(host, ["a"], Start.AddSeconds(10)), Start);
        cleanups.Add("b", new PublishedImages(host, ["b"], Start.AddHours(1)), Start.AddSeconds(30));
        Assert.Equal(["a"], cleanups.KeysOf("a")); // expired, but the last look was under a minute ago

        cleanups.Add("c", new PublishedImages(host, ["c"], Start.AddHours(1)), Start.AddMinutes(1));
        Assert.Empty(cleanups.KeysOf("a"));
        Assert.Equal(2, cleanups.Count);
    }
}
