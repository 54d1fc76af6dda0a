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

    [Fact]
    public void Every_entry_whose_links_expired_is_taken_out_in_one_look()
    {
        var host = new RecordingImageHost();
        var cleanups = new ImageCleanups();
        cleanups.Add("a", new PublishedImages(host, ["a"], Start.AddMinutes(5)), Start);
        cleanups.Add("b", new PublishedImages(host, ["b"], Start.AddMinutes(6)), Start.AddSeconds(1));

        var expired = cleanups.Add("c", new PublishedImages(host, ["c"], Start.AddHours(1)), Start.AddMinutes(10));

        Assert.Equal(["a", "b"], expired.SelectMany(e => e.Keys).Order(StringComparer.Ordinal));
        Assert.Equal(1, cleanups.Count);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.jpg", true)]
    [InlineData("0123456789abcdef0123456789abcdef/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.png", true)]
    [InlineData("0123456789abcdef0123456789abcdef/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.webp", true)]
    [InlineData("0123456789abcdef0123456789abcdef/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.bmp", true)]
    [InlineData("0123456789abcdef0123456789abcdef/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.gif", true)]
    [InlineData("0123456789abcdef0123456789abcdef/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.exe", false)]
    [InlineData("0123456789ABCDEF0123456789abcdef/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.png", false)]
    [InlineData("0123456789abcdef0123456789abcdef/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg.png", false)]
    [InlineData("0123456789abcdef0123456789abcde//0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.png", false)]
    [InlineData("0123456789abcdef0123456789abcdef/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef/png", false)]
    [InlineData("0123456789abcdef0123456789abcdef/../89abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789.png", false)]
    [InlineData("catalog/prices.png", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_key_is_taken_back_from_a_store_only_in_the_shape_the_client_publishes_under(string? key, bool published)
    {
        Assert.Equal(published, ImagePublisher.IsPublishedKey(key));
    }

    [Fact]
    public void A_client_without_an_image_host_keeps_no_earlier_runs_images()
    {
        var client = new TryOnClient(TestOptions.Create(), new RecordingHandler(System.Net.HttpStatusCode.OK, Json.Job("rk", "WAITING")));

        client.ExpectImages("rk", ["0123456789abcdef0123456789abcdef/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.png"]);

        Assert.Empty(client.ImageKeysOf("rk"));
    }

    [Fact]
    public async Task An_earlier_runs_images_are_kept_for_their_links_lifetime_not_taken_out_at_the_next_look()
    {
        var time = new ObservedFakeTimeProvider();
        var host = new RecordingImageHost();
        var client = new TryOnClient(TestOptions.Create(o => o.ImageHost = host), new RecordingHandler(System.Net.HttpStatusCode.OK, Json.Job("rk-new", "WAITING")) { Clock = time }, time);
        const string Earlier = "0123456789abcdef0123456789abcdef/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.png";

        client.ExpectImages("rk-old", [Earlier]);
        time.Advance(TimeSpan.FromMinutes(2));
        await client.SubmitAsync(new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png", "me.png"), TestOptions.Task(0).Upper)); // a look at what expired

        Assert.Equal([Earlier], client.ImageKeysOf("rk-old"));
        Assert.Empty(host.Deleted);
    }
}
