namespace AliTryOn.Samples.AspNetCore.Jobs;

/// <summary>Where the background wait for a job stands.</summary>
internal enum TrackedJobState
{
    /// <summary>The waiter is polling it; the snapshot is the latest it saw.</summary>
    Waiting,

    /// <summary>Every task finished; the snapshot is final.</summary>
    Completed,

    /// <summary>The wait hit its time limit; the job goes on in the service. Ask the service again later.</summary>
    WaitTimedOut,

    /// <summary>The wait failed (the service could not be queried); the job may still go on.</summary>
    WaitFailed,
}
