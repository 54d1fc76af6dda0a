using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace AliTryOn.Http;

/// <summary>
/// The innermost handler of the service's chain, just before the transport: the one place that knows whether an
/// attempt reached the transport. It counts a send on the <see cref="TryOnRequestMessage"/> each time it hands the request
/// on, and takes it back when the transport fails before sending (no connection could be made). A submit is "outcome
/// unknown" only when a send was handed on and no answer ruled a job out. It is also where a bulk run's record of a
/// submit is made (<see cref="SubmittingRecord"/>), just before the submit's first attempt is handed on.
/// </summary>
internal sealed class TransportTracker : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var record = SubmittingRecord.Of(request);
        if (record is { IsWritten: false })
        {
            // A bulk run's record of the batch, made as late as it can be: a submit cancelled or timed out before this
            // point was never sent, and is not recorded.
            cancellationToken.ThrowIfCancellationRequested();
            await record.MakeBeforeSendingAsync().ConfigureAwait(false);
        }

        if (request is not TryOnRequestMessage { IsTracked: true } own)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        // Cancelled (or timed out) before it was handed on: nothing was sent.
        cancellationToken.ThrowIfCancellationRequested();
        own.MarkSent();
        // A bulk run's submit, once sent, outlives the run's cancellation by a grace: its answer names a job that
        // exists, and a key recorded now is a job the next run waits for, not an unknown. Time limits end it as before.
        using var grace = record is null ? null : SubmitAnswerGrace.ForSent(own, cancellationToken, record.RunCancellation, record.TimeProvider);
        try
        {
            return await base.SendAsync(request, grace?.Token ?? cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (TransportFailure.IsBeforeSend(exception))
        {
            own.MarkNotSent();
            throw;
        }
    }
}
