using System.Net;
using AliTryOn.Testing.Tests.TestSupport;

namespace AliTryOn.Testing.Tests.Emulator;

public class RecordingAndScaleTests
{
    [Fact]
    public async Task Every_request_is_recorded_with_its_outcome_and_no_secret()
    {
        var emulator = new TryOnEmulator();
        emulator.Faults.Add(TryOnEmulatorOperation.Query, TryOnEmulatorFault.Throttled());
        var client = new RawClient(emulator);

        var submitted = await client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask));
        await client.QueryAsync(submitted.ResultKey);
        await client.QueryAsync(submitted.ResultKey);

        var records = emulator.Requests;
        Assert.Equal([0, 1, 2], records.Select(r => r.Sequence));
        Assert.Equal([TryOnEmulatorOperation.Submit, TryOnEmulatorOperation.Query, TryOnEmulatorOperation.Query], records.Select(r => r.Operation));
        Assert.Equal([200, 403, 200], records.Select(r => r.Status));
        Assert.Equal([null, "23500004", null], records.Select(r => r.ErrorCode));
        Assert.Equal([null, TryOnEmulatorFault.Throttled(), null], records.Select(r => r.Fault));
        Assert.All(records, r => Assert.Equal(submitted.ResultKey, r.ResultKey));
        Assert.Single(records, r => r.CreatedJob);
        Assert.Equal("POST", records[0].Method);
        Assert.Equal("/api/v2/tryon/submit", records[0].Path);
        Assert.Equal(RawClient.SubmitBody(RawClient.ValidTask), records[0].Body);
        Assert.Equal(3, records.Select(r => r.Nonce).Distinct().Count());
        Assert.All(records, r => Assert.Equal("APPCODE ***", r.Headers["Authorization"]));
        Assert.DoesNotContain(records, r => r.ToString().Contains(TryOnEmulator.DefaultAppCode, StringComparison.Ordinal)
            || r.Headers.Values.Any(v => v.Contains(TryOnEmulator.DefaultAppCode, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Clearing_the_record_keeps_the_jobs()
    {
        var emulator = new TryOnEmulator();
        var client = new RawClient(emulator);
        var key = (await client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask))).ResultKey;

        emulator.ClearRequests();
        var query = await client.QueryAsync(key);

        Assert.Equal(200, query.Status);
        Assert.Equal(TryOnEmulatorOperation.Query, Assert.Single(emulator.Requests).Operation);
    }

    [Fact]
    public async Task Thousands_of_concurrent_jobs_are_created_queried_and_recorded_without_loss()
    {
        var time = new ObservedFakeTimeProvider();
        var emulator = new TryOnEmulator(new TryOnEmulatorOptions { TimeProvider = time });
        var client = new RawClient(emulator);

        var keys = await Task.WhenAll(Enumerable.Range(0, 3000).Select(_ => Task.Run(async () =>
            (await client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask, RawClient.ValidTask))).ResultKey)));
        time.Advance(TimeSpan.FromSeconds(10));
        var answers = await Task.WhenAll(keys.Select(key => Task.Run(() => client.QueryAsync(key))));

        Assert.Equal(3000, keys.Distinct().Count());
        Assert.Equal(3000, emulator.JobCount);
        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.All(answers, a => Assert.Contains("SUCCESS", a.Text, StringComparison.Ordinal));
        Assert.Equal(6000, emulator.Requests.Count);
        Assert.Equal(Enumerable.Range(0, 6000), emulator.Requests.Select(r => r.Sequence));
    }

    [Fact]
    public async Task The_sdk_client_it_creates_runs_a_whole_job_on_the_fake_clock()
    {
        var time = new ObservedFakeTimeProvider();
        var emulator = new TryOnEmulator(new TryOnEmulatorOptions { TimeProvider = time });
        var client = emulator.CreateClient();

        var job = await FakeClock.RunAsync(time, client.SubmitAndWaitAsync(new TryOnTask(
            new Uri("https://img.test/m.png"),
            FullBody: new GarmentImage(new Uri("https://img.test/dress.png"), GarmentKind.WornByModel),
            InferenceMode: InferenceMode.Quality)), TimeSpan.FromMinutes(2));

        Assert.True(job.HasCompleted);
        Assert.Equal(4, job.ResultUrls.Count);
        using var downloads = emulator.CreateHttpClient();
        using var image = await downloads.GetAsync(job.ResultUrls[0]);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public void Options_are_checked()
    {
        var none = new TryOnEmulatorOptions();
        none.AppCodes.Clear();
        none.AppKeys.Clear();

        Assert.Throws<ArgumentException>(() => new TryOnEmulator(none));
        Assert.Throws<ArgumentException>(() => new TryOnEmulator(new TryOnEmulatorOptions { ResultsPerTask = 0 }));
        Assert.Throws<ArgumentException>(() => new TryOnEmulator(new TryOnEmulatorOptions { FastDuration = TimeSpan.FromSeconds(-1) }));
    }
}
