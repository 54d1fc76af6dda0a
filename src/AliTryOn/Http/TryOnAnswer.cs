using AliTryOn.Errors;

namespace AliTryOn.Http;

/// <summary>
/// What one response said, read once: the job, or the exception it stands for with its error family. The retry policy
/// decides from <see cref="Kind"/> and the client throws <see cref="Error"/>, so the two always agree.
/// </summary>
internal sealed class TryOnAnswer
{
    private TryOnAnswer(TryOnJob? job, TryOnException? error, TryOnErrorKind? kind)
    {
        Job = job;
        Error = error;
        Kind = kind;
    }

    /// <summary>The job, when the response was a readable success.</summary>
    public TryOnJob? Job { get; }

    /// <summary>The exception the response stands for, when it was not a readable success.</summary>
    public TryOnException? Error { get; }

    /// <summary>The error family; <see langword="null"/> for a success.</summary>
    public TryOnErrorKind? Kind { get; }

    public static TryOnAnswer Success(TryOnJob job) => new(job, null, null);

    public static TryOnAnswer Failure(TryOnException error, TryOnErrorKind kind) => new(null, error, kind);

    /// <summary>The job, or the answer's exception thrown (it was created, never thrown, when the response was read).</summary>
    public TryOnJob JobOrThrow() => Job ?? throw Error!;
}
