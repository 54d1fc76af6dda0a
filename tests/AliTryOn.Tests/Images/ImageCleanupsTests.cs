using AliTryOn.Images;
using AliTryOn.Tests.TestSupport;

namespace AliTryOn.Tests.Images;

/// <summary>The images kept for jobs not yet seen ending: taken out once their links expired, to be deleted then, so none is held for good.</summary>
public sealed class ImageCleanupsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Images_of_a_job_never_seen_ending_are_taken_out_once_their_links_expired()
    {
        var host = new RecordingImageHost();
        var cleanups = new ImageCleanups();

        cleanups.Add("old", new PublishedImages(host, ["a"], Start.AddHours(1)), Start);
        cleanups.Add("new", new PublishedImages(host, ["b"], Start.AddHours(3)), Start.AddMinutes(30));
        Assert.Equal(2, cleanups.Count); // "old" has 30 minutes left

        var expired = cleanups.Add("later", new PublishedImages(host, ["c"], Start.AddHours(4)), Start.AddHours(1));

        Assert.Equal(["a"], Assert.Single(expired).Keys);
        Assert.Equal(2, cleanups.Count);
        Assert.Empty(cleanups.KeysOf("old"));
        Assert.Equal(["b"], cleanups.KeysOf("new"));
        Assert.Equal(["c"], cleanups.KeysOf("later"));
    }

    [Fact]
    public void Expired_images_are_looked_for_at_most_once_a_minute()
    {
        var host = new RecordingImageHost();
        var cleanups = new ImageCleanups();

        cleanups.Add("a", new PublishedImages(host, ["a"], Start.AddSeconds(10)), Start);
        Assert.Empty(cleanups.Add("b", new PublishedImages(host, ["b"], Start.AddHours(1)), Start.AddSeconds(30)));
        Assert.Equal(["a"], cleanups.KeysOf("a")); // expired, but the last look was under a minute ago

        Assert.Single(cleanups.Add("c", new PublishedImages(host, ["c"], Start.AddHours(1)), Start.AddMinutes(1)));
        Assert.Empty(cleanups.KeysOf("a"));
        Assert.Equal(2, cleanups.Count);
    }

    [Fact]
    public async Task A_job_whose_image_links_expired_before_any_client_saw_it_end_has_its_images_deleted_at_the_next_submit()
    {
        // A shopper who left: nothing waits for the first job, whose images outlive their one-hour links.
        var time = new ObservedFakeTimeProvider();
        var host = new RecordingImageHost();
        var jobs = 0;
        var transport = new RecordingHandler((_, _) => RecordingHandler.Response(System.Net.HttpStatusCode.OK, Json.Job($"rk-{Interlocked.Increment(ref jobs)}", "WAITING"))) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(o => o.ImageHost = host), transport, time);
        await client.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png", "left.png"), TestOptions.Task(0).Upper));

        time.Advance(TimeSpan.FromMinutes(59));
        await client.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(TestImages.Png(601, 800), "image/png", "next.png"), TestOptions.Task(1).Upper));
        Assert.Empty(host.Deleted);

        time.Advance(TimeSpan.FromMinutes(2));
        await client.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(TestImages.Png(602, 800), "image/png", "third.png"), TestOptions.Task(2).Upper));

        var left = host.Uploads.Single(u => u.Name == "left.png").Key;
        await Task.Run(async () => { while (!host.Deleted.Contains(left)) { await Task.Yield(); } }).WaitAsync(TimeSpan.FromSeconds(30)); // deleted in the background
        Assert.Equal([left], host.Deleted);
    }
}
