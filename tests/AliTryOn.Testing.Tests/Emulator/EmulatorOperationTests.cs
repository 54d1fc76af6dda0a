namespace AliTryOn.Testing.Tests.Emulator;

/// <summary>
/// <see cref="TryOnJobOperation"/> against the emulator: a job submitted, waited for and rebuilt from its key in a fresh
/// client, the images the client published for it deleted once the operation sees it end, and an unknown key.
/// </summary>
public sealed class EmulatorOperationTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private static readonly GarmentImage Shirt = new(new Uri("https://img.test/shirt.png"), GarmentKind.FlatLay);

    private readonly ObservedFakeTimeProvider _time = new();
    private readonly TryOnEmulator _emulator;
    private readonly string _folder = Directory.CreateTempSubdirectory("alitryon-emulator-operation-").FullName;

    public EmulatorOperationTests() => _emulator = new TryOnEmulator(new TryOnEmulatorOptions { TimeProvider = _time });

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task An_operation_submitted_in_one_client_is_rebuilt_from_its_key_in_a_fresh_one_and_waited_for()
    {
        var submitted = await _emulator.CreateClient().SubmitOperationAsync(new TryOnTask(new Uri("https://img.test/me.png"), Shirt));
        var resultKey = submitted.ResultKey; // all another process keeps
        Assert.False(submitted.HasCompleted);

        var rebuilt = new TryOnJobOperation(_emulator.CreateClient(), resultKey);
        var job = await FakeClock.RunAsync(_time, rebuilt.WaitForCompletionAsync(), Limit);

        Assert.Equal(resultKey, job.ResultKey);
        Assert.True(rebuilt.HasCompleted);
        Assert.Equal(4, job.ResultUrls.Count); // the emulator's ResultsPerTask
        Assert.False(submitted.HasCompleted); // the first operation has not queried: its snapshot is the submit's
        Assert.Equal(1, _emulator.JobCount);
        Assert.Equal(1, _emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Submit));
        Assert.All(_emulator.Requests.Where(r => r.Operation == TryOnEmulatorOperation.Query), r => Assert.Equal(resultKey, r.ResultKey));
    }

    [Fact]
    public async Task Updates_follow_the_job_from_waiting_to_success()
    {
        var operation = await _emulator.CreateClient().SubmitOperationAsync(new TryOnTask(new Uri("https://img.test/me.png"), Shirt));
        Assert.Equal(TryOnTaskStatus.Waiting, Assert.Single(operation.Job!.Tasks).Status);

        _time.Advance(TimeSpan.FromSeconds(3)); // out of the queue
        var running = await operation.UpdateStatusAsync();
        _time.Advance(TimeSpan.FromSeconds(10)); // past FastDuration
        var done = await operation.UpdateStatusAsync();

        Assert.Equal(TryOnTaskStatus.Running, Assert.Single(running.Tasks).Status);
        Assert.Equal(TryOnTaskStatus.Succeeded, Assert.Single(done.Tasks).Status);
        Assert.True(operation.HasCompleted);
        Assert.Equal(2, _emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Query));
    }

    [Fact]
    public async Task The_images_the_client_published_for_the_job_are_deleted_once_the_operations_wait_sees_it_end()
    {
        var photo = Path.Combine(_folder, "me.png");
        await File.WriteAllBytesAsync(photo, TestImages.Png(600, 800));

        var operation = await _emulator.CreateClient().SubmitOperationAsync(new TryOnTask(TryOnImage.FromFile(photo), Shirt));
        Assert.Equal(1, _emulator.ImageHost.PublishCount);
        Assert.Equal(0, _emulator.ImageHost.DeleteCount);

        await FakeClock.RunAsync(_time, operation.WaitForCompletionAsync(), Limit);

        Assert.True(operation.HasCompleted);
        Assert.Equal(1, _emulator.ImageHost.DeleteCount);
        Assert.Empty(_emulator.ImageHost.Keys);
    }

    [Fact]
    public async Task The_images_the_client_published_for_the_job_are_deleted_once_an_update_sees_it_end()
    {
        var photo = Path.Combine(_folder, "me.png");
        await File.WriteAllBytesAsync(photo, TestImages.Png(600, 800));
        var operation = await _emulator.CreateClient().SubmitOperationAsync(new TryOnTask(TryOnImage.FromFile(photo), Shirt));

        await operation.UpdateStatusAsync(); // still waiting: the images stay
        Assert.Equal(0, _emulator.ImageHost.DeleteCount);
        _time.Advance(TimeSpan.FromMinutes(1));
        await operation.UpdateStatusAsync();

        Assert.True(operation.HasCompleted);
        Assert.Equal(1, _emulator.ImageHost.DeleteCount);
    }

    [Fact]
    public async Task An_unknown_key_fails_an_update_with_the_services_not_found_error()
    {
        var operation = new TryOnJobOperation(_emulator.CreateClient(), "no-such-job");

        var error = await Assert.ThrowsAsync<TryOnJobNotFoundException>(() => operation.UpdateStatusAsync());

        Assert.Equal("23500008", error.ErrorCode);
        Assert.Equal("no-such-job", error.ResultKey);
        Assert.Null(operation.Job);
    }
}
