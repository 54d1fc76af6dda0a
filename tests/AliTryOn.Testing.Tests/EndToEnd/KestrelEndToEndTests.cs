namespace AliTryOn.Testing.Tests.EndToEnd;

/// <summary>The SDK against the emulator server over real HTTP on loopback: the whole flow, and each fault as a typed exception.</summary>
public sealed class KestrelEndToEndTests(KestrelEmulatorFixture server) : IClassFixture<KestrelEmulatorFixture>, IDisposable
{
    private static readonly TryOnTask[] Tasks =
    [
        new(new Uri("https://img.test/model.png"), Upper: new GarmentImage(new Uri("https://img.test/top.png"), GarmentKind.FlatLay)),
        new(new Uri("https://img.test/model.png"), Lower: new GarmentImage(new Uri("https://img.test/jeans.png"), GarmentKind.WornByModel), InferenceMode: InferenceMode.Quality),
        new(new Uri("https://img.test/model.png"), FullBody: new GarmentImage(new Uri("https://img.test/dress.png"), GarmentKind.FlatLay)),
    ];

    private readonly TryOnClient _client = server.CreateClient();

    public void Dispose()
    {
        server.Emulator.Faults.Clear();
        server.Emulator.Images.Clear();
    }

    [Fact]
    public async Task Submit_wait_and_download_every_result_over_loopback()
    {
        var job = await _client.SubmitAndWaitAsync(Tasks);

        Assert.True(job.HasCompleted);
        Assert.Equal(3, job.SucceededTasks.Count);
        Assert.Equal(12, job.ResultUrls.Count);
        Assert.All(job.ResultUrls, url => Assert.Equal(server.Address.Authority, url.Authority));
        using var downloads = new HttpClient();
        foreach (var url in job.ResultUrls)
        {
            var png = await downloads.GetByteArrayAsync(url);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        }

        var submits = server.Emulator.Requests.Where(r => r.Operation == TryOnEmulatorOperation.Submit && r.ResultKey == job.ResultKey);
        Assert.Single(submits);
    }

    /// <summary>
    /// Operation, fault (struck on every attempt), attempts that reach the emulator, jobs created, the exception.
    /// Over a real network the SDK retries only where no job can have been created.
    /// </summary>
    public static TheoryData<TryOnEmulatorOperation, string, int, int, Type> Faults => new()
    {
        { TryOnEmulatorOperation.Submit, nameof(TryOnEmulatorFault.Throttled), 4, 0, typeof(TryOnThrottledException) },
        { TryOnEmulatorOperation.Submit, nameof(TryOnEmulatorFault.GatewayThrottled), 4, 0, typeof(TryOnThrottledException) },
        { TryOnEmulatorOperation.Submit, nameof(TryOnEmulatorFault.QuotaExhausted), 1, 0, typeof(TryOnQuotaExceededException) },
        { TryOnEmulatorOperation.Submit, "GatewayQuota", 1, 0, typeof(TryOnQuotaExceededException) },
        { TryOnEmulatorOperation.Submit, nameof(TryOnEmulatorFault.ContentRejected), 1, 0, typeof(TryOnContentRejectedException) },
        { TryOnEmulatorOperation.Submit, nameof(TryOnEmulatorFault.ImageUnreachable), 1, 0, typeof(TryOnImageUnreachableException) },
        { TryOnEmulatorOperation.Submit, nameof(TryOnEmulatorFault.InvalidImage), 1, 0, typeof(TryOnInvalidImageException) },
        { TryOnEmulatorOperation.Submit, nameof(TryOnEmulatorFault.InternalError), 1, 0, typeof(TryOnSubmitOutcomeUnknownException) },
        { TryOnEmulatorOperation.Submit, "Html502", 1, 0, typeof(TryOnSubmitOutcomeUnknownException) },
        { TryOnEmulatorOperation.Submit, "Html504AfterProcessing", 1, 1, typeof(TryOnSubmitOutcomeUnknownException) },
        { TryOnEmulatorOperation.Submit, "DroppedAfterProcessing", 1, 1, typeof(TryOnSubmitOutcomeUnknownException) },
        { TryOnEmulatorOperation.Submit, nameof(TryOnEmulatorFault.TruncatedBody), 1, 1, typeof(TryOnSubmitOutcomeUnknownException) },
        { TryOnEmulatorOperation.Submit, "UnknownCode", 1, 0, typeof(TryOnSubmitOutcomeUnknownException) },
        { TryOnEmulatorOperation.Query, "Html503", 4, 0, typeof(TryOnServiceException) },
        { TryOnEmulatorOperation.Query, "Html504", 4, 0, typeof(TryOnServiceException) },
        { TryOnEmulatorOperation.Query, nameof(TryOnEmulatorFault.InternalError), 4, 0, typeof(TryOnServiceException) },
        { TryOnEmulatorOperation.Query, nameof(TryOnEmulatorFault.Throttled), 4, 0, typeof(TryOnThrottledException) },
        { TryOnEmulatorOperation.Query, nameof(TryOnEmulatorFault.JobFailed), 1, 0, typeof(TryOnJobFailedException) },
        { TryOnEmulatorOperation.Query, "DroppedAfterProcessing", 4, 0, typeof(TryOnConnectionException) },
        { TryOnEmulatorOperation.Query, nameof(TryOnEmulatorFault.TruncatedBody), 4, 0, typeof(TryOnConnectionException) },
        { TryOnEmulatorOperation.Query, "UnknownCode", 4, 0, typeof(TryOnException) },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Each_fault_is_retried_only_where_safe_and_reaches_the_caller_as_its_typed_exception(
        TryOnEmulatorOperation operation, string fault, int attempts, int jobsCreated, Type expected)
    {
        var resultKey = operation == TryOnEmulatorOperation.Query ? (await _client.SubmitAsync(Tasks[0])).ResultKey : null;
        var jobsBefore = server.Emulator.JobCount;
        var before = server.Emulator.Requests.Count;
        server.Emulator.Faults.AddAlways(operation, fault switch
        {
            "GatewayQuota" => TryOnEmulatorFault.GatewayError(403, "Quota Exhausted"),
            "Html502" => TryOnEmulatorFault.HtmlError(502),
            "Html503" => TryOnEmulatorFault.HtmlError(503),
            "Html504" => TryOnEmulatorFault.HtmlError(504),
            "Html504AfterProcessing" => TryOnEmulatorFault.HtmlError(504, afterProcessing: true),
            "DroppedAfterProcessing" => TryOnEmulatorFault.DroppedConnection(afterProcessing: true),
            nameof(TryOnEmulatorFault.TruncatedBody) => TryOnEmulatorFault.TruncatedBody(),
            "UnknownCode" => TryOnEmulatorFault.ServiceError(500, 23599999),
            nameof(TryOnEmulatorFault.GatewayThrottled) => TryOnEmulatorFault.GatewayThrottled(),
            _ => Emulator.FaultTests.Fault(fault),
        });

        var error = await Assert.ThrowsAnyAsync<TryOnException>(() =>
            resultKey is null ? _client.SubmitAsync(Tasks[0]) : _client.QueryAsync(resultKey));

        var reached = server.Emulator.Requests.Skip(before).Where(r => r.Operation == operation).ToArray();
        Assert.IsType(expected, error);
        Assert.Equal(attempts, reached.Length);
        Assert.Equal(attempts, reached.Select(r => r.Nonce).Distinct().Count());
        Assert.Equal(jobsCreated, server.Emulator.JobCount - jobsBefore);
        Assert.Equal(jobsCreated, reached.Count(r => r.CreatedJob));
    }

    [Fact]
    public async Task A_submit_whose_answer_is_cut_off_after_its_result_key_names_the_job_it_created()
    {
        server.Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.TruncatedBody());

        var error = await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => _client.SubmitAsync(Tasks[0]));

        var created = server.Emulator.Requests.Last(r => r.CreatedJob);
        Assert.True(created.ResultKey == error.ResultKey, error.ToString());
        Assert.Contains(created.ResultKey!, error.Message, StringComparison.Ordinal);
        var job = await _client.WaitForCompletionAsync(error.ResultKey!); // the billed job is not lost
        Assert.True(job.HasCompleted);
    }

    [Fact]
    public async Task Image_rules_reach_the_caller_as_their_typed_exceptions()
    {
        server.Emulator.Images.MarkUnreachable("https://img.test/gone.png");
        server.Emulator.Images.MarkInvalid("https://img.test/tiny.png");
        server.Emulator.Images.MarkContentRejected("https://img.test/banned.png");

        Task Submit(string url) => _client.SubmitAsync(new TryOnTask(new Uri(url), Upper: Tasks[0].Upper));

        await Assert.ThrowsAsync<TryOnImageUnreachableException>(() => Submit("https://img.test/gone.png"));
        await Assert.ThrowsAsync<TryOnInvalidImageException>(() => Submit("https://img.test/tiny.png"));
        await Assert.ThrowsAsync<TryOnContentRejectedException>(() => Submit("https://img.test/banned.png"));
    }

    [Fact]
    public async Task Failed_tasks_come_back_in_the_job_or_as_an_exception_when_asked()
    {
        server.Emulator.Images.MarkGenerationFailure("https://img.test/jeans.png");

        var job = await _client.SubmitAndWaitAsync(Tasks);
        var error = await Assert.ThrowsAsync<TryOnJobFailedException>(() =>
            _client.SubmitAndWaitAsync(Tasks, new TryOnWaitOptions { ThrowOnFailedTasks = true }));

        Assert.Equal([1], job.FailedTasks.Select(t => t.Index));
        Assert.Equal(2, job.SucceededTasks.Count);
        Assert.Equal([1], error.Job!.FailedTasks.Select(t => t.Index));
    }

    [Fact]
    public async Task A_task_failure_fault_fails_every_task_of_the_job()
    {
        server.Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.TaskFailed());

        var job = await _client.SubmitAndWaitAsync(Tasks);

        Assert.Equal(3, job.FailedTasks.Count);
        Assert.Empty(job.ResultUrls);
    }

    [Fact]
    public async Task A_passing_fault_is_retried_away()
    {
        var submitted = await _client.SubmitAsync(Tasks[0]);
        server.Emulator.Faults.Add(TryOnEmulatorOperation.Query, TryOnEmulatorFault.HtmlError(503), times: 2);

        var job = await _client.QueryAsync(submitted.ResultKey);

        Assert.Equal(submitted.ResultKey, job.ResultKey);
    }

    [Fact]
    public async Task A_wrong_appcode_and_a_wrong_path_are_typed_errors()
    {
        await Assert.ThrowsAsync<TryOnAuthenticationException>(() => server.CreateClient(appCode: "not-it").SubmitAsync(Tasks[0]));
        await Assert.ThrowsAsync<TryOnOperationNotSupportedException>(() => server.CreateClient(path: "/gateway-prefix/").QueryAsync("k"));
        await Assert.ThrowsAsync<TryOnJobNotFoundException>(() => _client.QueryAsync("0123456789abcdef0123456789abcdef"));
    }
}
