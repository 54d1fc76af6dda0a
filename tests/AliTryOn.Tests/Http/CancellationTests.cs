using System.Net;
using AliTryOn.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AliTryOn.Tests.Http;

/// <summary>
/// A caller's cancellation ends a call wherever it is: mid-request, in a retry's backoff, between polls, or waiting
/// for a rate-limit permit. The fake clock never moves, so nothing but the cancellation can end it.
/// </summary>
/// <remarks>
/// The bound is real time and only turns a hang into a failure. It is generous because the other test processes run
/// beside these on a two-core machine, where a tight bound (it was 100 ms) would measure the machine, not the code.
/// </remarks>
[Collection(nameof(WallClockCollection))]
public class CancellationTests
{
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Cancelling_mid_request_ends_a_submit_promptly_with_operation_cancelled()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, _) => null) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(), transport, time);
        using var cancellation = new CancellationTokenSource();

        var call = Task.Run(() => client.SubmitAsync(TestOptions.Task(), cancellation.Token));
        await FakeClock.SettleAsync(call, () => transport.Requests.Count == 1);
        await cancellation.CancelAsync();

        await AssertCancelledPromptly(call);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task Cancelling_during_a_retry_backoff_ends_the_call_promptly_and_makes_no_further_attempt()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, _) => RecordingHandler.Response(HttpStatusCode.ServiceUnavailable, "<html>busy</html>", "text/html")) { Clock = time };
        // No attempt timeout: its timer (30 s) would pass for the backoff's while the first attempt is still in flight.
        var client = new TryOnClient(TestOptions.Create(o => o.AttemptTimeout = Timeout.InfiniteTimeSpan), transport, time);
        using var cancellation = new CancellationTokenSource();

        var call = Task.Run(() => client.QueryAsync("rk", cancellation.Token));
        // The first attempt failed and the retry is waiting out its backoff on the (frozen) fake clock.
        await FakeClock.SettleAsync(call, () => transport.Requests.Count == 1 && time.HasTimerDueWithin(TimeSpan.FromSeconds(30)));
        await cancellation.CancelAsync();

        await AssertCancelledPromptly(call);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task Cancelling_between_polls_ends_the_wait_promptly()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, _) => RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk", "RUNNING"))) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(), transport, time);
        using var cancellation = new CancellationTokenSource();

        var wait = Task.Run(() => client.WaitForCompletionAsync("rk", cancellationToken: cancellation.Token));
        // The first poll's delay, not the wait's own time limit, which is armed before it (on a loaded machine the
        // clock could otherwise move before the poll's timer exists, and the poll would never come).
        await FakeClock.SettleAsync(wait, () => time.HasTimerDueWithin(TimeSpan.FromSeconds(1.25)));
        FakeClock.Advance(time, TimeSpan.FromSeconds(1.25)); // past the first poll, jitter included
        await FakeClock.SettleAsync(wait, () => transport.Requests.Count == 1);
        await cancellation.CancelAsync();

        await AssertCancelledPromptly(wait);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task Cancelling_while_waiting_for_a_rate_limit_permit_ends_the_call_promptly_without_sending_it()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, _) => null) { Clock = time };
        // Registered with dependency injection, whose settings expose the limiter, so the test can see the call queued.
        var services = new ServiceCollection().AddSingleton<TimeProvider>(time);
        services.AddTryOnClient(o =>
        {
            o.Endpoint = new Uri(TestOptions.Endpoint);
            o.AppCode = TestOptions.AppCode;
            o.RateLimit.MaxConcurrentRequests = 1;
        }).ConfigurePrimaryHttpMessageHandler(() => transport);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<TryOnClient>();
        var limiter = provider.GetRequiredKeyedService<AliTryOn.DependencyInjection.TryOnClientSettings>(Options.DefaultName).Current.RateLimiter!;
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();

        var holding = Task.Run(() => client.QueryAsync("a", first.Token));
        await FakeClock.SettleAsync(holding, () => transport.Requests.Count == 1);
        var queued = Task.Run(() => client.QueryAsync("b", second.Token));
        await FakeClock.SettleAsync(queued, () => limiter.Concurrency!.GetStatistics()!.CurrentQueuedCount == 1);
        Assert.False(queued.IsCompleted); // it waits for the permit "a" holds
        await second.CancelAsync();

        await AssertCancelledPromptly(queued);
        Assert.Single(transport.Requests);
        Assert.Equal(0, limiter.Concurrency!.GetStatistics()!.CurrentQueuedCount);
        await first.CancelAsync();
        await AssertCancelledPromptly(holding);
    }

    [Fact]
    public async Task A_token_cancelled_before_the_call_sends_nothing()
    {
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING"));
        var client = new TryOnClient(TestOptions.Create(), transport);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SubmitAsync(TestOptions.Task(), new CancellationToken(canceled: true)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.QueryAsync("rk", new CancellationToken(canceled: true)));
        Assert.Empty(transport.Requests);
    }

    /// <summary>The call ends, and as a cancellation: not a timeout, not an unknown outcome.</summary>
    private static async Task AssertCancelledPromptly(Task call)
    {
        var error = await Record.ExceptionAsync(() => call.WaitAsync(Promptly));

        Assert.IsAssignableFrom<OperationCanceledException>(error);
    }
}
