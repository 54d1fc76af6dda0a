using System.Net;
using AliTryOn.Testing;

namespace AliTryOn.Samples.Tests.AspNetCore;

/// <summary>The service's failures, scripted on the emulator, become the statuses the caller can act on.</summary>
public sealed class ErrorMappingTests : SampleAppTest
{
    [Theory]
    [InlineData("throttled", 429)]
    [InlineData("gateway throttled", 429)]
    [InlineData("quota exhausted", 402)]
    [InlineData("gateway quota exhausted", 402)]
    [InlineData("content rejected", 422)]
    [InlineData("image unreachable", 422)]
    [InlineData("invalid image", 422)]
    [InlineData("internal error", 502)]
    [InlineData("html 503", 502)]
    [InlineData("connection refused", 502)]
    [InlineData("invalid appcode", 502)]
    public async Task A_submit_failure_is_mapped_to_a_problem_status(string fault, int expected)
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Submit, Fault(fault));

        using var response = await PostAsync(OneTask);

        var problem = await ReadProblemAsync(response, (HttpStatusCode)expected);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.DoesNotContain(TryOnEmulator.DefaultAppCode, problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(0, Emulator.JobCount);
    }

    [Theory]
    [InlineData("throttled")]
    [InlineData("gateway throttled")]
    public async Task Throttling_says_when_to_retry(string fault)
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Submit, Fault(fault));

        using var response = await PostAsync(OneTask);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.True(retryAfter >= TimeSpan.FromSeconds(1), $"Retry-After: {retryAfter}");
    }

    [Fact]
    public async Task The_services_error_code_and_request_id_are_passed_on_for_support()
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.InvalidImage());

        using var response = await PostAsync(OneTask);

        var problem = await ReadProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("23500007", problem.GetProperty("errorCode").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("serviceRequestId").GetString()));
        Assert.Contains("23500007", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_submit_whose_answer_was_cut_off_but_named_its_job_is_accepted_and_followed_not_lost()
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.TruncatedBody());

        using var response = await PostAsync(OneTask);

        // The job exists and is billed: the caller gets its key, as for any submit, and must not submit again.
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var resultKey = body.GetProperty("resultKey").GetString()!;
        Assert.Equal(1, Emulator.JobCount);
        Assert.Contains(Emulator.Requests, r => r.Operation == TryOnEmulatorOperation.Submit && r.ResultKey == resultKey);
        var status = await WaitUntilCompletedAsync(body.GetProperty("statusUrl").GetString()!);
        Assert.Equal(["SUCCESS"], Statuses(status));
    }

    [Fact]
    public async Task A_submit_whose_outcome_is_unknown_says_a_job_may_exist_and_not_to_submit_again()
    {
        Emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.InternalError(afterProcessing: true));

        using var response = await PostAsync(OneTask);

        // Not the 502 of a service that created nothing: a caller that retries that one would pay twice here.
        var problem = await ReadProblemAsync(response, HttpStatusCode.BadGateway);
        Assert.Equal("The try-on job may have been created", problem.GetProperty("title").GetString());
        Assert.Contains("Do not submit the same request again automatically", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("mayHaveCreatedJob").GetBoolean());
        Assert.Equal(1, Emulator.JobCount);
    }

    [Fact]
    public async Task An_unknown_result_key_is_404()
    {
        using var status = await Client.GetAsync("/tryon/0123456789abcdef0123456789abcdef");
        var problem = await ReadProblemAsync(status, HttpStatusCode.NotFound);
        Assert.Equal("23500008", problem.GetProperty("errorCode").GetString());

        using var result = await Client.GetAsync("/tryon/0123456789abcdef0123456789abcdef/tasks/0/results/0");
        await ReadProblemAsync(result, HttpStatusCode.NotFound);

        using var blank = await Client.GetAsync("/tryon/%20");
        await ReadProblemAsync(blank, HttpStatusCode.NotFound);
    }

    private static TryOnEmulatorFault Fault(string name) => name switch
    {
        "throttled" => TryOnEmulatorFault.Throttled(),
        "gateway throttled" => TryOnEmulatorFault.GatewayThrottled(),
        "quota exhausted" => TryOnEmulatorFault.QuotaExhausted(),
        "gateway quota exhausted" => TryOnEmulatorFault.GatewayError(403, "Quota Exhausted"),
        "content rejected" => TryOnEmulatorFault.ContentRejected(),
        "image unreachable" => TryOnEmulatorFault.ImageUnreachable(),
        "invalid image" => TryOnEmulatorFault.InvalidImage(),
        "internal error" => TryOnEmulatorFault.InternalError(),
        "html 503" => TryOnEmulatorFault.HtmlError(503),
        "connection refused" => TryOnEmulatorFault.DroppedConnection(),
        "invalid appcode" => TryOnEmulatorFault.GatewayError(400, "Invalid AppCode"),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such fault in this test"),
    };
}
