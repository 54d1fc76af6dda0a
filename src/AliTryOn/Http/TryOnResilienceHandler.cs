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
internal sealed class TryOnResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline, TimeProvider timeProvider) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The transport tracker is always inside this handler (both are part of every chain the client builds).
        (request as TryOnRequestMessage)?.StartTracking();
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(TryOnResiliencePipeline.RequestKey, request);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (context, state) =>
                {
                    try
                    {
                        var response = await state.handler.SendCoreAsync(state.request, context).ConfigureAwait(false);
                        return Outcome.FromResult(response);
                    }
                    catch (Exception exception)
                    {
                        return Outcome.FromException<HttpResponseMessage>(exception);
                    }
                },
                context,
                (handler: this, request)).ConfigureAwait(false);
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>One attempt: send, then read the answer once for the retry policy (the client gets the same answer).</summary>
    private async ValueTask<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, ResilienceContext context)
    {
        var own = request as TryOnRequestMessage;
        own?.BeginAttempt();
        var response = await base.SendAsync(request, context.CancellationToken).ConfigureAwait(false);
        own?.MarkAnswered();
        try
        {
            TryOnAnswer answer;
            using (SubmitAnswerGrace.For(request, context.CancellationToken, timeProvider, out var readToken))
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
