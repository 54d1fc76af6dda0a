using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Polly;

namespace AliTryOn.Http;

/// <summary>
/// Runs each request through the client's resilience pipeline. It sits outside the authentication handler, so each
/// attempt the pipeline makes is signed again with a fresh nonce.
/// </summary>
internal sealed class TryOnResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
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

    /// <summary>One attempt: send, then classify the answer for the retry policy (the body stays readable).</summary>
    private async ValueTask<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, ResilienceContext context)
    {
        var response = await base.SendAsync(request, context.CancellationToken).ConfigureAwait(false);
        try
        {
            var kind = await ResponseInspector.ClassifyAsync(response, context.CancellationToken).ConfigureAwait(false);
            context.Properties.Set(TryOnResiliencePipeline.ErrorKindKey, kind);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
