using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace AliTryOn.Http;

/// <summary>
/// A bulk run's record of a batch about to be sent (<see cref="TryOnBulkOptions.OnBatchSubmitting"/>), made once, by
/// the <see cref="TransportTracker"/> as it hands the submit's first attempt to the transport: after the batch's local
/// images are published and its rate-limit permit granted. A process killed while batches wait for their permits then
/// leaves no record of them, only of the submits that may really be out.
/// </summary>
/// <remarks>
/// An <see cref="AsyncLocal{T}"/>, like <see cref="WorkOrigin"/>: the run submits through the public, overridable
/// <c>SubmitAsync</c>, whose signature cannot carry it. The run sets it inside its own async method, so it flows only
/// down that batch's calls. A client without a tracker (one built on an application's <see cref="HttpClient"/>, or a
/// mock) never makes it: the run makes it itself before calling <c>SubmitAsync</c>.
/// </remarks>
internal sealed class SubmittingRecord
{
    private static readonly AsyncLocal<SubmittingRecord?> Current = new();
    private readonly Func<Task> _write;
    private Task? _writing;

    /// <summary>A record that <paramref name="write"/> makes, when first asked for, for a run cancelled by <paramref name="runCancellation"/>.</summary>
    public SubmittingRecord(Func<Task> write, CancellationToken runCancellation, TimeProvider timeProvider)
    {
        _write = write;
        RunCancellation = runCancellation;
        TimeProvider = timeProvider;
    }

    /// <summary>The run's own cancellation (Ctrl+C), as opposed to the call's time limits.</summary>
    public CancellationToken RunCancellation { get; }

    /// <summary>The client's clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Whether the record was made, or its making began: the batch may have been sent, and the record must be resolved.</summary>
    public bool IsMade => _writing is not null;

    /// <summary>
    /// Whether the record is written: its making ended without an exception. Until then a send must make it, or wait
    /// for it (still being written), or fail as it did (a send an application's handler repeats after the failure).
    /// </summary>
    public bool IsWritten => _writing?.Status == TaskStatus.RanToCompletion;

    /// <summary>What making the record threw, if it did: the submit was not sent, and this is what the run throws.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Makes <paramref name="record"/> the one the submits made from here down (in this async flow) make before they leave.</summary>
    public static void Expect(SubmittingRecord record) => Current.Value = record;

    /// <summary>The record a bulk run expects of <paramref name="request"/>, a submit; otherwise <see langword="null"/>.</summary>
    public static SubmittingRecord? Of(HttpRequestMessage request) =>
        request is TryOnRequestMessage { Operation: TryOnOperation.Submit } ? Current.Value : null;

    /// <summary>Makes the record, once; a later call waits for the same. Throws what the record threw.</summary>
    public Task MakeAsync() => _writing ??= WriteAsync();

    /// <summary>
    /// Makes the record on the way to the transport. A failure comes out as an <see cref="InvalidOperationException"/>,
    /// which neither the retry policy nor the failure translator takes for a connection problem: the submit fails at
    /// once, unsent, and the run throws the record's own exception (<see cref="Failure"/>).
    /// </summary>
    public async Task MakeBeforeSendingAsync()
    {
        try
        {
            await MakeAsync().ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            throw new InvalidOperationException($"The submit was not sent: the bulk run's record of it (TryOnBulkOptions.OnBatchSubmitting) failed. {failure.Message}", failure);
        }
    }

    private async Task WriteAsync()
    {
        try
        {
            await _write().ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            Failure = failure;
            throw;
        }
    }
}
