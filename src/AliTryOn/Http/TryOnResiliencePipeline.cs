using System;
using System.Net.Http;
using System.Threading.Tasks;
using AliTryOn.Diagnostics;
using AliTryOn.Errors;
using Polly;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace AliTryOn.Http;

/// <summary>
/// Builds the client's resilience pipeline: total time limit → retry → rate limits (the process's own, or one shared with
/// the application's other instances) → attempt time limit (the limits
/// kept by <see cref="TimedPipeline"/>, the rest by Polly). The authentication handler sits inside it, so every
/// attempt is signed afresh with a new nonce.
/// </summary>
internal static class TryOnResiliencePipeline
{
    /// <summary>The properties an attempt leaves in the context for the retry policy.</summary>
    internal static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("AliTryOn.Request");
    internal static readonly ResiliencePropertyKey<TryOnErrorKind?> ErrorKindKey = new("AliTryOn.ErrorKind");

    /// <summary>The pipeline of the service's calls (submit and query).</summary>
    /// <param name="options">The client's settings.</param>
    /// <param name="timeProvider">The clock of delays and timeouts.</param>
    /// <param name="rateLimiter">The AppCode's limits, or <see langword="null"/> for none.</param>
    /// <param name="telemetry">Where retries are logged and counted, or <see langword="null"/>.</param>
    public static TimedPipeline Create(
        TryOnClientOptions options,
        TimeProvider timeProvider,
        TryOnRateLimiter? rateLimiter,
        TryOnTelemetry? telemetry = null) =>
        Build(options, timeProvider, rateLimiter, telemetry, ShouldRetry, OperationOf);

    /// <summary>
    /// The pipeline of result downloads: the same time limits and backoff as the service's calls, the retry policy of an
    /// idempotent read (<see cref="ShouldRetryDownload"/>), and no rate limits: those stand for the API gateway's flow
    /// control per AppCode, which the storage host is not behind.
    /// </summary>
    /// <param name="options">The client's settings.</param>
    /// <param name="timeProvider">The clock of delays and timeouts.</param>
    /// <param name="telemetry">Where retries are logged and counted, or <see langword="null"/>.</param>
    public static TimedPipeline CreateForDownloads(
        TryOnClientOptions options,
        TimeProvider timeProvider,
        TryOnTelemetry? telemetry = null) =>
        Build(options, timeProvider, rateLimiter: null, telemetry, ShouldRetryDownload, static _ => "download");

    /// <summary>Total time limit → retry (with <paramref name="shouldRetry"/>) → rate limits → attempt time limit.</summary>
    private static TimedPipeline Build(
        TryOnClientOptions options,
        TimeProvider timeProvider,
        TryOnRateLimiter? rateLimiter,
        TryOnTelemetry? telemetry,
        Func<Outcome<HttpResponseMessage>, ResilienceContext, TimeSpan, TimeProvider, bool> shouldRetry,
        Func<ResilienceContext, string> operationOf)
    {
        var retry = options.Retry;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        if (retry.MaxRetries > 0)
        {
            var retryOptions = new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = retry.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retry.BaseDelay,
                MaxDelay = retry.MaxDelay,
                ShouldHandle = args => new ValueTask<bool>(shouldRetry(args.Outcome, args.Context, retry.MaxRetryAfter, timeProvider)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(RetryAfter(args.Outcome, timeProvider)),
            };
            if (telemetry is not null)
            {
                retryOptions.OnRetry = args =>
                {
                    telemetry.Retrying(operationOf(args.Context), args.AttemptNumber + 1, args.RetryDelay, ReasonOf(args.Outcome, args.Context));
                    return default;
                };
            }

            builder.AddRetry(retryOptions);
        }

        if (rateLimiter?.Concurrency is { } concurrency)
        {
            builder.AddRateLimiter(concurrency);
        }

        if (rateLimiter?.Rate is { } rate)
        {
            // Oldest work first among the calls waiting (a wait's queries by when the wait began); a retry keeps its call's place.
            builder.AddRateLimiter(new RateLimiterStrategyOptions { RateLimiter = args => rate.AcquireAsync(OriginOf(args.Context, timeProvider), args.Context.CancellationToken) });
        }
        else if (rateLimiter?.Shared is { } shared)
        {
            // The same, the permits kept with the application's other instances.
            builder.AddRateLimiter(new RateLimiterStrategyOptions { RateLimiter = args => shared.AcquireAsync(OriginOf(args.Context, timeProvider), args.Context.CancellationToken) });
        }

        return new TimedPipeline(builder.Build(), options.AttemptTimeout, options.TotalTimeout, timeProvider);
    }

    /// <summary>
    /// The retry policy. Queries are retried after transient failures; submits only when the failure proves no job
    /// was created: a refusal (throttling), or an attempt that never reached the service (see
    /// <see cref="TryOnRequestMessage.MayHaveCreatedJob"/>). Errors that repeat whatever the timing (authentication,
    /// quota, validation, images) never are.
    /// </summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeSpan maxRetryAfter, TimeProvider timeProvider)
    {
        var request = context.Properties.GetValue(RequestKey, null!);
        var isQuery = request?.GetOperation() == TryOnOperation.Query;
        if (outcome.Exception is { } exception)
        {
            // A lost connection (before or during the body) or an attempt timeout: a query is repeated; a submit only
            // when its attempt never reached the service.
            return exception is TimeoutRejectedException or HttpRequestException or System.IO.IOException
                && (isQuery || request is TryOnRequestMessage { MayHaveCreatedJob: false });
        }

        var response = outcome.Result!;
        return context.Properties.GetValue(ErrorKindKey, null) switch
        {
            null => false,
            // A refusal proves that the send it answers created nothing; a submit whose attempt sent more than once
            // (an application's handler that retries on its own) may still have created a job with another send.
            TryOnErrorKind.Throttled => (isQuery || request is not TryOnRequestMessage { MayHaveCreatedJob: true })
                && (RetryAfterOf(response, timeProvider) ?? TimeSpan.Zero) <= maxRetryAfter,
            TryOnErrorKind.Service => isQuery,
            TryOnErrorKind.Unknown => isQuery && (int)response.StatusCode is 408 or >= 500,
            _ => false,
        };
    }

    /// <summary>
    /// The retry policy of a download, an idempotent read: retried after a connection failure (before or during the
    /// body), an attempt timeout, or HTTP 408, 429 and 5xx, waiting out a <c>Retry-After</c> up to
    /// <see cref="TryOnRetryOptions.MaxRetryAfter"/>. A refused link (401, 403, 404, 410), a redirect that cannot be
    /// followed, a body too large or not an image fail at once: repeating them changes nothing.
    /// </summary>
    internal static bool ShouldRetryDownload(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeSpan maxRetryAfter, TimeProvider timeProvider)
    {
        if (outcome.Exception is { } exception)
        {
            // Not a cancellation: Polly does not retry once the call's token is cancelled.
            return exception is TimeoutRejectedException or HttpRequestException or System.IO.IOException;
        }

        var response = outcome.Result!;
        return (int)response.StatusCode is 408 or 429 or >= 500
            && (RetryAfterOf(response, timeProvider) ?? TimeSpan.Zero) <= maxRetryAfter;
    }

    /// <summary>When the call's work began, which orders the calls waiting for a permit: a wait's, or the call's own.</summary>
    private static long OriginOf(ResilienceContext context, TimeProvider timeProvider) =>
        context.Properties.GetValue(RequestKey, null!) is TryOnRequestMessage { Origin: { } origin } ? origin : timeProvider.GetTimestamp();

    /// <summary>The name of a call's operation in logs and metrics: <c>submit</c> or <c>query</c>.</summary>
    private static string OperationOf(ResilienceContext context) =>
        context.Properties.GetValue(RequestKey, null!)?.GetOperation() == TryOnOperation.Query ? "query" : "submit";

    /// <summary>A short, stable name of why an attempt is retried, for logs and the retries metric.</summary>
    internal static string ReasonOf(Outcome<HttpResponseMessage> outcome, ResilienceContext context) => outcome.Exception switch
    {
        TimeoutRejectedException => "timeout",
        { } => "connection_error", // the only other exceptions either retry policy retries
        null => context.Properties.GetValue(ErrorKindKey, null) switch
        {
            TryOnErrorKind.Throttled => "throttled",
            TryOnErrorKind.Service => "service_error",
            _ => "http_" + (int)outcome.Result!.StatusCode,
        },
    };

    /// <summary>The server's <c>Retry-After</c>, which replaces the computed backoff when present.</summary>
    private static TimeSpan? RetryAfter(Outcome<HttpResponseMessage> outcome, TimeProvider timeProvider) =>
        outcome.Result is { } response ? RetryAfterOf(response, timeProvider) : null;

    internal static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider timeProvider)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta; // never negative: the header's seconds are digits only
        }

        if (header?.Date is { } date)
        {
            return TimeSpan.FromTicks(Math.Max(0, (date - timeProvider.GetUtcNow()).Ticks)); // a date past means now
        }

        return null;
    }
}
