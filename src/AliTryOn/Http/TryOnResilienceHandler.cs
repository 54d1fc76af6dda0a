using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.Errors;
using Polly;

namespace AliTryOn.Http;

/// <summary>
/// Runs each request through the client's resilience pipeline. It sits outside the authentication handler, so each
/// attempt the pipeline makes is signed again with a fresh nonce. It reads each attempt's answer once, for the retry
/// policy and the client alike, and keeps the record of the attempts on the request (see <see cref="TryOnRequestMessage"/>).
/// </summary>
/// <param name="pipelines">The pipeline of each call, read as the call starts: the current one of options that may be reloaded.</param>
/// <param name="timeProvider">The clock of the answers' read limits.</param>
internal sealed class TryOnResilienceHandler(Func<TimedPipeline> pipelines, TimeProvider timeProvider) : DelegatingHandler
{
    /// <summary>A handler whose calls all run through <paramref name="pipeline"/>.</summary>
    public TryOnResilienceHandler(TimedPipeline pipeline, TimeProvider timeProvider)
        : this(() => pipeline, timeProvider)
    {
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The transport tracker is always inside this handler (both are part of every chain the client builds).
        (request as TryOnRequestMessage)?.StartTracking();
        return pipelines().ExecuteAsync(
            request,
            static (context, state, attemptToken) => state.handler.SendCoreAsync(state.request, context, attemptToken),
            (handler: this, request),
            cancellationToken);
    }

    /// <summary>One attempt: send, then read the answer once for the retry policy (the client gets the same answer).</summary>
    private async ValueTask<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, ResilienceContext context, CancellationToken cancellationToken)
    {
        var own = request as TryOnRequestMessage;
        own?.BeginAttempt();
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        own?.MarkAnswered();
        try
        {
            TryOnAnswer answer;
            using (SubmitAnswerGrace.For(request, cancellationToken, timeProvider, out var readToken))
            {
                answer = await TryOnResponseMapper.AnswerAsync(response, timeProvider, readToken).ConfigureAwait(false);
            }

            context.Properties.Set(TryOnResiliencePipeline.ErrorKindKey, answer.Kind);
            if (answer.Error is { } error && !TryOnFailureTranslator.LeavesJobInDoubt(error))
            {
                own?.MarkRefused(answer);
            }

            return response;
        }
        catch (Exception exception)
        {
            // A body too large to read still came with its status: a 3xx or 4xx refused the request all the same.
            if (exception is TryOnInvalidResponseException unread && !TryOnFailureTranslator.LeavesJobInDoubt(unread))
            {
                own?.MarkRefused(TryOnAnswer.Failure(unread, TryOnErrorKind.InvalidResponse));
            }

            response.Dispose();
            throw;
        }
    }
}
