using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Polly;

namespace AliTryOn.Http;

/// <summary>
/// A call's resilience: the total time limit around Polly's pipeline (retries, rate limits), and the attempt time limit
/// around each attempt it makes. Built by <see cref="TryOnResiliencePipeline"/>; run by the resilience and download handlers.
/// </summary>
/// <remarks>
/// The limits sit where Polly's timeout strategies stood (first and last), and fail the same way: a limit that runs
/// out is a <see cref="Polly.Timeout.TimeoutRejectedException"/>, retried when it ends an attempt, final when it ends
/// the call; the caller's own cancellation stays an <see cref="OperationCanceledException"/>. Retry delays and
/// rate-limit waits see the total limit's token, so they end with it.
/// </remarks>
/// <param name="pipeline">Polly's part: retries and rate limits.</param>
/// <param name="attemptTimeout">Each attempt's limit, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
/// <param name="totalTimeout">The whole call's limit, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
/// <param name="timeProvider">The clock of both limits.</param>
internal sealed class TimedPipeline(
    ResiliencePipeline<HttpResponseMessage> pipeline,
    TimeSpan attemptTimeout,
    TimeSpan totalTimeout,
    TimeProvider timeProvider)
{
    /// <summary>
    /// Runs <paramref name="attempt"/> (given the context and the attempt's token) through the pipeline within both
    /// limits, and returns the last attempt's response or throws its failure.
    /// </summary>
    public async Task<HttpResponseMessage> ExecuteAsync<TState>(
        HttpRequestMessage request,
        Func<ResilienceContext, TState, CancellationToken, ValueTask<HttpResponseMessage>> attempt,
        TState state,
        CancellationToken cancellationToken)
    {
        using var total = TimeLimit.Start(totalTimeout, cancellationToken, timeProvider);
        var context = ResilienceContextPool.Shared.Get(total?.Token ?? cancellationToken);
        context.Properties.Set(TryOnResiliencePipeline.RequestKey, request);
        try
        {
            Outcome<HttpResponseMessage> outcome;
            try
            {
                outcome = await pipeline.ExecuteOutcomeAsync(
                    static async (context, state) =>
                    {
                        using var limit = TimeLimit.Start(state.attemptTimeout, context.CancellationToken, state.timeProvider);
                        try
                        {
                            var response = await state.attempt(context, state.state, limit?.Token ?? context.CancellationToken).ConfigureAwait(false);
                            return Outcome.FromResult(response);
                        }
                        catch (Exception exception)
                        {
                            return Outcome.FromException<HttpResponseMessage>(limit?.Translate(exception) ?? exception);
                        }
                    },
                    context,
                    (attemptTimeout, timeProvider, attempt, state)).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // A rate limiter whose wait is cancelled throws rather than returning an outcome; with a retry around it
                // Polly catches that, without one (no retries set) nothing in the pipeline does.
                outcome = Outcome.FromException<HttpResponseMessage>(exception);
            }

            if (outcome.Exception is { } failure && total?.Translate(failure) is { } translated && translated != failure)
            {
                throw translated;
            }

            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
