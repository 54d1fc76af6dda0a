using System.Net;
using AliTryOn.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace AliTryOn.Tests.DependencyInjection;

/// <summary>
/// With dependency injection, whether an attempt was sent is decided just before the transport, after the handlers an
/// application adds: a handler that fails without forwarding sent nothing; one that fails after forwarding may have.
/// </summary>
public class TransportTrackerRegistrationTests
{
    [Fact]
    public async Task An_app_handler_that_fails_before_forwarding_lets_a_submit_be_retried_as_never_sent()
    {
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk-di", "WAITING"));
        using var provider = Provider(transport, new AppHandler(failBeforeForwarding: true));

        var job = await provider.GetRequiredService<TryOnClient>().SubmitAsync(TestOptions.Task());

        Assert.Equal("rk-di", job.ResultKey);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task An_app_handler_that_fails_after_forwarding_leaves_the_submit_s_outcome_unknown()
    {
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk-di", "WAITING"));
        using var provider = Provider(transport, new AppHandler(failBeforeForwarding: false));

        await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => provider.GetRequiredService<TryOnClient>().SubmitAsync(TestOptions.Task()));

        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task A_failure_that_looks_like_a_connection_never_made_after_forwarding_still_leaves_the_submit_in_doubt()
    {
        // The tracker saw the send go out: what the exception looks like does not take it back.
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk-di", "WAITING"));
        using var provider = Provider(transport, new RefusingAfterForwardingHandler());

        await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => provider.GetRequiredService<TryOnClient>().SubmitAsync(TestOptions.Task()));

        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task A_send_an_app_handler_repeats_within_one_attempt_keeps_the_submit_in_doubt_even_when_the_repeat_is_refused()
    {
        // The first send goes out and its answer is lost; the app's handler sends again and is throttled. The refusal
        // answers the second send only: the first may have created a job.
        var transport = new RecordingHandler((_, index) => index == 0
            ? throw new HttpRequestException("The connection was reset.", new IOException("reset"))
            : Answers.ThrottledFor(0));
        using var provider = Provider(transport, new RepeatingHandler());

        var error = await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => provider.GetRequiredService<TryOnClient>().SubmitAsync(TestOptions.Task()));

        Assert.StartsWith("The submit went out more than once in one attempt and only the last send was answered (HTTP 403), so it is unknown whether", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, transport.Requests.Count);
    }

    [Fact]
    public async Task A_server_error_an_app_handler_answers_itself_is_taken_as_proof_of_a_send()
    {
        // Nothing counted a send (the handler never forwarded), but an answer in doubt is never read as "not sent":
        // the submit is not repeated.
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk-di", "WAITING"));
        using var provider = Provider(transport, new AnsweringHandler(HttpStatusCode.BadGateway));

        var error = await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => provider.GetRequiredService<TryOnClient>().SubmitAsync(TestOptions.Task()));

        Assert.Equal(502, error.Status);
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task A_submit_cancelled_before_an_app_handler_forwards_it_is_not_sent_and_says_so()
    {
        using var cancellation = new CancellationTokenSource();
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk-di", "WAITING"));
        using var provider = Provider(transport, new CancellingHandler(cancellation));

        var error = await Assert.ThrowsAsync<TryOnSubmitCanceledException>(() => provider.GetRequiredService<TryOnClient>().SubmitAsync(TestOptions.Task(), cancellation.Token));

        Assert.False(error.MayHaveCreatedJob);
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task A_send_an_app_handler_repeats_after_a_connection_never_made_is_a_plain_refusal_and_retried()
    {
        var transport = new RecordingHandler((_, index) => index switch
        {
            0 => throw new HttpRequestException("Connection refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)),
            1 => Answers.ThrottledFor(0),
            _ => RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk-after", "WAITING")),
        });
        using var provider = Provider(transport, new RepeatingHandler());

        var job = await provider.GetRequiredService<TryOnClient>().SubmitAsync(TestOptions.Task());

        Assert.Equal("rk-after", job.ResultKey);
        Assert.Equal(3, transport.Requests.Count);
    }

    private static ServiceProvider Provider(HttpMessageHandler transport, DelegatingHandler handler)
    {
        var services = new ServiceCollection();
        services.AddTryOnClient(o =>
            {
                o.Endpoint = new Uri(TestOptions.Endpoint);
                o.AppCode = TestOptions.AppCode;
                // Real time here: the backoff is made negligible rather than waited for.
                o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
                o.Retry.MaxDelay = TimeSpan.FromMilliseconds(2);
            })
            .AddHttpMessageHandler(() => handler)
            .ConfigurePrimaryHttpMessageHandler(() => transport);
        return services.BuildServiceProvider();
    }

    /// <summary>An application's handler (a proxy client, say) whose first call fails, before or after forwarding.</summary>
    private sealed class AppHandler(bool failBeforeForwarding) : DelegatingHandler
    {
        private int _calls;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var first = Interlocked.Increment(ref _calls) == 1;
            if (first && failBeforeForwarding)
            {
                throw new HttpRequestException("The proxy refused the request.");
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (first)
            {
                response.Dispose();
                throw new HttpRequestException("The proxy lost the answer.");
            }

            return response;
        }
    }

    /// <summary>An application's handler that forwards, then fails as if no connection had been made.</summary>
    private sealed class RefusingAfterForwardingHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            (await base.SendAsync(request, cancellationToken)).Dispose();
            throw new HttpRequestException("Connection refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));
        }
    }

    /// <summary>An application's handler that answers by itself (a circuit breaker, say) without forwarding.</summary>
    private sealed class AnsweringHandler(HttpStatusCode status) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(RecordingHandler.Response(status, "<html>bad gateway</html>", "text/html"));
    }

    /// <summary>An application's handler during which the caller cancels; it forwards all the same.</summary>
    private sealed class CancellingHandler(CancellationTokenSource caller) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await caller.CancelAsync();
            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>An application's handler that sends once more, within the same attempt, when a send fails.</summary>
    private sealed class RepeatingHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException)
            {
                return await base.SendAsync(request, cancellationToken);
            }
        }
    }
}
