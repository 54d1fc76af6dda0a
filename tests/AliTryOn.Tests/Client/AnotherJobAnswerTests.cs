using System.Net;
using AliTryOn.Tests.TestSupport;

namespace AliTryOn.Tests.Client;

/// <summary>
/// A query answered for another job than the one asked for (a cache or proxy that mixed answers up) gives the caller
/// nothing of that job, not even through an answer readable in part, and is a failure that may pass: waits ride it out,
/// bulk runs keep the job. Several of these are the second reader's reproductions, on a fake clock.
/// </summary>
public class AnotherJobAnswerTests
{
    /// <summary>Another customer's finished job, one of whose links is not a URL: an answer the client reads in part.</summary>
    private const string TheirsInPart = """
        {"code":0,"data":{"result_key":"someone-else","task_list":[{"status":"SUCCESS","results":["https://results.example.test/their-photo.png"]},{"status":"SUCCESS","results":["not a url"]}]},"message":"success","requestId":"req-x","severity":"info","success":true}
        """;

    [Fact]
    public async Task An_answer_for_another_job_readable_in_part_is_refused_too_and_gives_none_of_it()
    {
        var client = new TryOnClient(TestOptions.Create(), new RecordingHandler(HttpStatusCode.OK, TheirsInPart));

        var error = await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => client.QueryAsync("mine"));

        Assert.Equal("mine", error.ResultKey);
        Assert.Null(error.Job);
        Assert.Empty(error.TaskIndices);
        Assert.DoesNotContain("their-photo", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "req-someone-else")] // the answer's own request id
    [InlineData(false, "gw-request-7")] // else the gateway's
    public async Task The_refusal_carries_the_answer_s_status_and_request_id(bool answerHasRequestId, string expected)
    {
        var body = Json.Job("someone-else", "SUCCESS");
        var client = new TryOnClient(TestOptions.Create(), new RecordingHandler((_, _) =>
        {
            var response = RecordingHandler.Response(HttpStatusCode.OK, answerHasRequestId ? body : body.Replace("\"requestId\":\"req-someone-else\",", string.Empty, StringComparison.Ordinal));
            response.Headers.TryAddWithoutValidation("X-Ca-Request-Id", "gw-request-7");
            return response;
        }));

        var error = await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => client.QueryAsync("mine"));

        Assert.Equal(200, error.Status);
        Assert.Equal(expected, error.RequestId);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public async Task A_wait_that_only_ever_gets_another_jobs_answer_ends_with_the_refusal_never_with_that_job()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(HttpStatusCode.OK, TheirsInPart) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(), transport, time);

        var error = await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => FakeClock.RunAsync(time, client.WaitForCompletionAsync("mine"), TimeSpan.FromMinutes(5)));

        Assert.Null(error.Job);
        Assert.Equal("mine", error.ResultKey);
        Assert.Equal(4, transport.Requests.Count); // the first query and the three failures in a row a wait tolerates
        Assert.DoesNotContain("their-photo", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_mixed_up_answer_during_a_wait_is_ridden_out_like_other_passing_failures()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((request, n) => RecordingHandler.Response(HttpStatusCode.OK, n == 0 ? Json.Job("someone-else", "RUNNING") : Json.Job(request.QueriedKey!, "SUCCESS"))) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(), transport, time);

        var job = await FakeClock.RunAsync(time, client.WaitForCompletionAsync("mine"), TimeSpan.FromMinutes(1));

        Assert.True(job.HasCompleted);
        Assert.Equal("mine", job.ResultKey);
    }

    [Fact]
    public async Task One_mixed_up_answer_does_not_end_a_bulk_runs_job_failed()
    {
        // Failed would tell the caller to submit the billed, running job again.
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((request, n) => request.QueriedKey is null
            ? RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk-mine", "WAITING"))
            : RecordingHandler.Response(HttpStatusCode.OK, n == 1 ? Json.Job("someone-else", "RUNNING") : Json.Job(request.QueriedKey!, "SUCCESS"))) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(), transport, time);

        var outcomes = await FakeClock.RunAsync(time, Collect(client.RunBulkAsync([TestOptions.Task(0)])), TimeSpan.FromMinutes(1));

        var outcome = Assert.Single(outcomes);
        Assert.Equal(TryOnBulkStatus.Succeeded, outcome.Status);
        Assert.Equal("rk-mine", outcome.ResultKey);
    }

    [Fact]
    public async Task A_bulk_run_that_only_ever_gets_another_jobs_answer_keeps_its_job_unknown_and_takes_none_of_its_images()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((request, _) => request.QueriedKey is null
            ? RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk-mine", "WAITING", "WAITING"))
            : RecordingHandler.Response(HttpStatusCode.OK, TheirsInPart)) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(), transport, time);

        var outcomes = await FakeClock.RunAsync(time, Collect(client.RunBulkAsync([TestOptions.Task(0), TestOptions.Task(1)])), TimeSpan.FromMinutes(5));

        Assert.Equal(2, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal(TryOnBulkStatus.OutcomeUnknown, o.Status));
        Assert.All(outcomes, o => Assert.Equal("rk-mine", o.ResultKey));
        Assert.All(outcomes, o => Assert.Empty(o.ResultUrls));
    }

    [Fact]
    public async Task A_query_answered_over_the_size_cap_names_the_job_queried_not_the_one_its_first_bytes_name()
    {
        var huge = "{\"code\":0,\"success\":true,\"data\":{\"result_key\":\"someone-else\",\"task_list\":[" + string.Join(',', Enumerable.Repeat("{\"status\":\"WAITING\",\"x\":\"" + new string('a', 1000) + "\"}", 1100)) + "]}}";
        var client = new TryOnClient(TestOptions.Create(o => o.Retry.MaxRetries = 0), new RecordingHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(huge) }));

        var error = await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => client.QueryAsync("mine"));

        Assert.Equal("mine", error.ResultKey);
        Assert.DoesNotContain("someone-else", error.Message, StringComparison.Ordinal);
    }

    private static async Task<List<TryOnBulkOutcome>> Collect(IAsyncEnumerable<TryOnBulkOutcome> run)
    {
        var outcomes = new List<TryOnBulkOutcome>();
        await foreach (var outcome in run)
        {
            outcomes.Add(outcome);
        }

        return outcomes;
    }
}
