using System.Net.Http.Headers;
using System.Text;
using AliTryOn.Testing.Tests.TestSupport;
using static AliTryOn.Testing.Tests.Emulator.GatewayContractTests;

namespace AliTryOn.Testing.Tests.Emulator;

/// <summary>Every scripted fault produces exactly what the real service or gateway would send.</summary>
public class FaultTests() : EmulatorTest(randomSeed: 7)
{
    public static TheoryData<string, int, int, string> ServiceFaults => new()
    {
        { nameof(TryOnEmulatorFault.Throttled), 403, 23500004, "Request was denied due to request throttling" },
        { nameof(TryOnEmulatorFault.QuotaExhausted), 403, 23500003, "User credit points are exhausted" },
        { nameof(TryOnEmulatorFault.ContentRejected), 403, 23500005, "The image did not pass the content compliance check" },
        { nameof(TryOnEmulatorFault.ImageUnreachable), 400, 23500006, "The image url provided is invalid or non-accessible" },
        { nameof(TryOnEmulatorFault.InvalidImage), 400, 23500007, "The uploaded image does not meet the requirements" },
        { nameof(TryOnEmulatorFault.JobFailed), 500, 23500011, "Job execution failed" },
        { nameof(TryOnEmulatorFault.InternalError), 500, 23500000, "Internal server error" },
    };

    [Theory]
    [MemberData(nameof(ServiceFaults))]
    public async Task Service_faults_answer_with_the_documented_status_code_and_message_and_create_no_job(string fault, int status, int code, string message)
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Submit, Fault(fault));

        var answer = await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask));

        AssertServiceError(answer, status, code, message);
        Assert.Equal(0, Emulator.JobCount);
    }

    [Fact]
    public async Task Gateway_throttling_is_header_only()
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Query, TryOnEmulatorFault.GatewayThrottled());

        var answer = await Client.QueryAsync("any");

        AssertGatewayError(answer, 403, "Throttled by APP Flow Control");
    }

    [Theory]
    [InlineData(403, "Quota Exhausted")]
    [InlineData(503, "Service Unavailable")]
    [InlineData(504, "Async Service")]
    public async Task Any_gateway_error_can_be_scripted(int status, string message)
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.GatewayError(status, message));

        AssertGatewayError(await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask)), status, message);
    }

    [Theory]
    [InlineData(502, "502 Bad Gateway")]
    [InlineData(503, "503 Service Temporarily Unavailable")]
    [InlineData(504, "504 Gateway Time-out")]
    public async Task Proxy_errors_come_as_html_pages(int status, string title)
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Query, TryOnEmulatorFault.HtmlError(status));

        var answer = await Client.QueryAsync("any");

        Assert.Equal(status, answer.Status);
        Assert.Equal("text/html", answer.ContentType);
        Assert.Contains($"<title>{title}</title>", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_errors_are_502_503_or_504() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TryOnEmulatorFault.HtmlError(500));

    [Fact]
    public async Task A_failure_after_processing_leaves_the_job_created()
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.HtmlError(504, afterProcessing: true));

        var answer = await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask));

        Assert.Equal(504, answer.Status);
        Assert.Equal(1, Emulator.JobCount);
        Assert.True(Emulator.Requests.Single().CreatedJob);
    }

    [Fact]
    public async Task A_task_failure_fault_lets_the_submit_succeed_and_every_task_end_failed()
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.TaskFailed());
        var key = (await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask, RawClient.ValidTask))).ResultKey;
        Time.Advance(TimeSpan.FromMinutes(1));

        var tasks = (await Client.QueryAsync(key)).Json.GetProperty("data").GetProperty("task_list");

        Assert.All(tasks.EnumerateArray(), t => Assert.Equal("FAILED", t.GetProperty("status").GetString()));
    }

    [Fact]
    public void A_task_failure_is_only_a_submit_fault() =>
        Assert.Throws<ArgumentException>(() => Emulator.Faults.Add(TryOnEmulatorOperation.Query, TryOnEmulatorFault.TaskFailed()));

    [Fact]
    public async Task Latency_holds_the_answer_on_theEmulators_clock()
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.Latency(TimeSpan.FromSeconds(30)));

        var pending = Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask));
        Time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(pending.IsCompleted);
        Assert.Equal(0, Emulator.JobCount);
        Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(200, (await pending).Status);
        Assert.Equal(1, Emulator.JobCount);
    }

    [Fact]
    public async Task Latency_after_processing_has_created_the_job_while_the_answer_waits()
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.Latency(TimeSpan.FromSeconds(30), afterProcessing: true));

        var pending = Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask));

        Assert.False(pending.IsCompleted);
        Assert.Equal(1, Emulator.JobCount);
        Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(200, (await pending).Status);
    }

    [Fact]
    public async Task AClient_that_gives_up_during_latency_is_recorded_as_cancelled()
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.Latency(TimeSpan.FromSeconds(30), afterProcessing: true));
        using var invoker = new HttpMessageInvoker(Emulator.CreateHandler());
        using var cancellation = new CancellationTokenSource();
        using var request = Submit();

        var pending = invoker.SendAsync(request, cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        var record = Emulator.Requests.Single();
        Assert.Equal("cancelled", record.ErrorCode);
        Assert.Equal(0, record.Status);
        Assert.True(record.CreatedJob);
    }

    [Fact]
    public async Task A_connection_dropped_before_processing_fails_like_a_refused_connection_and_creates_nothing()
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.DroppedConnection());
        using var invoker = new HttpMessageInvoker(Emulator.CreateHandler());
        using var request = Submit();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => invoker.SendAsync(request, CancellationToken.None));

        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
        Assert.Equal(0, Emulator.JobCount);
    }

    [Fact]
    public async Task A_connection_dropped_after_processing_cuts_the_response_off_with_the_job_created()
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.DroppedConnection(afterProcessing: true));
        using var invoker = new HttpMessageInvoker(Emulator.CreateHandler());
        using var request = Submit();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => invoker.SendAsync(request, CancellationToken.None));

        Assert.Equal(HttpRequestError.ResponseEnded, error.HttpRequestError);
        Assert.Equal(1, Emulator.JobCount);
        var record = Emulator.Requests.Single();
        Assert.True(record.CreatedJob);
        Assert.Equal("connection dropped", record.ErrorCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Throttling_can_say_when_to_come_back(bool gateway)
    {
        var retryAfter = TimeSpan.FromSeconds(2.2);
        Emulator.Faults.Add(TryOnEmulatorOperation.Query, gateway ? TryOnEmulatorFault.GatewayThrottled(retryAfter) : TryOnEmulatorFault.Throttled(retryAfter));
        using var invoker = new HttpMessageInvoker(Emulator.CreateHandler());
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(TryOnEmulator.DefaultBaseAddress, "api/v2/tryon/query"));

        using var response = await invoker.SendAsync(request, CancellationToken.None);

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta); // whole seconds, rounded up
        Assert.EndsWith("Retry-After 3 s", Emulator.Requests.Single().Fault!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Any_service_code_can_be_scripted_even_one_no_client_knows()
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.ServiceError(500, 23599999));

        var answer = await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask));

        Assert.Equal(500, answer.Status);
        Assert.Contains("23599999", Encoding.UTF8.GetString(answer.Bytes), StringComparison.Ordinal);
        Assert.Equal(0, Emulator.JobCount);
    }

    [Fact]
    public async Task A_truncated_body_arrives_with_its_status_and_breaks_off_halfway_with_the_job_created()
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.TruncatedBody());
        using var invoker = new HttpMessageInvoker(Emulator.CreateHandler());
        using var request = Submit();

        using var response = await invoker.SendAsync(request, CancellationToken.None);
        var stream = await response.Content.ReadAsStreamAsync();
        var read = new MemoryStream();
        var error = await Assert.ThrowsAsync<HttpIOException>(() => stream.CopyToAsync(read));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(HttpRequestError.ResponseEnded, error.HttpRequestError);
        Assert.True(read.Length > 0);
        Assert.StartsWith("{", Encoding.UTF8.GetString(read.ToArray()), StringComparison.Ordinal);
        Assert.Equal(1, Emulator.JobCount);
        Assert.True(Emulator.Requests.Single().CreatedJob);
    }

    [Fact]
    public async Task A_job_can_stay_unknown_to_queries_for_a_while_after_its_submit()
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.NotFoundAfterSubmit(TimeSpan.FromSeconds(2)));
        var submitted = await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask));
        var key = System.Text.Json.JsonDocument.Parse(submitted.Bytes).RootElement.GetProperty("data").GetProperty("result_key").GetString()!;

        var early = await Client.QueryAsync(key);
        Time.Advance(TimeSpan.FromSeconds(2));
        var later = await Client.QueryAsync(key);

        Assert.Equal(200, submitted.Status);
        AssertServiceError(early, 400, 23500008, "No records found related to the specified resultKey parameter");
        Assert.Equal(200, later.Status);
        Assert.Throws<ArgumentException>(() => Emulator.Faults.Add(TryOnEmulatorOperation.Query, TryOnEmulatorFault.NotFoundAfterSubmit(TimeSpan.FromSeconds(1))));
        Assert.Throws<ArgumentOutOfRangeException>(() => TryOnEmulatorFault.NotFoundAfterSubmit(TimeSpan.Zero));
    }

    [Fact]
    public async Task A_fault_added_for_n_times_strikes_exactly_n_requests_of_its_operation_only()
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.Throttled(), times: 2);

        var query = await Client.QueryAsync("unknown");
        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask))).Status);
        }

        Assert.Equal(400, query.Status); // the query was not struck: it got the ordinary unknown-key answer
        Assert.Equal([403, 403, 200, 200], statuses);
    }

    [Fact]
    public async Task An_always_fault_strikes_until_cleared()
    {
        Emulator.Faults.AddAlways(TryOnEmulatorOperation.Query, TryOnEmulatorFault.InternalError());

        var before = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Client.QueryAsync("x")));
        Emulator.Faults.Clear();
        var after = await Client.QueryAsync("x");

        Assert.All(before, a => Assert.Equal(500, a.Status));
        Assert.Equal(400, after.Status);
    }

    [Fact]
    public async Task A_random_fault_strikes_about_as_often_as_its_probability_reproducibly_with_a_seed()
    {
        async Task<int[]> Run()
        {
            var emulator = new TryOnEmulator(new TryOnEmulatorOptions { RandomSeed = 42 });
            emulator.Faults.AddRandom(TryOnEmulatorOperation.Query, TryOnEmulatorFault.Throttled(), 0.3);
            var client = new RawClient(emulator);
            var statuses = new int[400];
            for (var i = 0; i < statuses.Length; i++)
            {
                statuses[i] = (await client.QueryAsync("x")).Status;
            }

            return statuses;
        }

        var first = await Run();
        var second = await Run();

        Assert.InRange(first.Count(s => s == 403), 90, 150);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_zero_probability_never_strikes()
    {
        Emulator.Faults.AddRandom(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.Throttled(), 0);

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Client.SubmitAsync(RawClient.SubmitBody(RawClient.ValidTask))));

        Assert.All(answers, a => Assert.Equal(200, a.Status));
    }

    [Fact]
    public void Fault_arguments_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.Throttled(), times: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Emulator.Faults.AddRandom(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.Throttled(), 1.5));
        Assert.Throws<ArgumentNullException>(() => Emulator.Faults.Add(TryOnEmulatorOperation.Submit, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => TryOnEmulatorFault.Latency(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentException>(() => TryOnEmulatorFault.GatewayError(403, " "));
    }

    internal static TryOnEmulatorFault Fault(string name) => name switch
    {
        nameof(TryOnEmulatorFault.Throttled) => TryOnEmulatorFault.Throttled(),
        nameof(TryOnEmulatorFault.QuotaExhausted) => TryOnEmulatorFault.QuotaExhausted(),
        nameof(TryOnEmulatorFault.ContentRejected) => TryOnEmulatorFault.ContentRejected(),
        nameof(TryOnEmulatorFault.ImageUnreachable) => TryOnEmulatorFault.ImageUnreachable(),
        nameof(TryOnEmulatorFault.InvalidImage) => TryOnEmulatorFault.InvalidImage(),
        nameof(TryOnEmulatorFault.JobFailed) => TryOnEmulatorFault.JobFailed(),
        nameof(TryOnEmulatorFault.InternalError) => TryOnEmulatorFault.InternalError(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static HttpRequestMessage Submit()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(TryOnEmulator.DefaultBaseAddress, "api/v2/tryon/submit"))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(RawClient.SubmitBody(RawClient.ValidTask))),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", "APPCODE " + TryOnEmulator.DefaultAppCode);
        request.Headers.TryAddWithoutValidation("X-Ca-Nonce", Guid.NewGuid().ToString());
        return request;
    }
}
