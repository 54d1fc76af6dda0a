using System;

namespace AliTryOn;

/// <summary>
/// The base of every error the try-on client raises about the service. Subtypes name each family of error;
/// an error the client does not recognise is raised as this type itself and keeps its code in <see cref="ErrorCode"/>.
/// </summary>
/// <remarks>
/// Messages and properties carry only what the response said and never a request header or the AppCode.
/// Input that fails client-side validation raises <see cref="ArgumentException"/> instead, before any call is made.
/// </remarks>
public class TryOnException : Exception
{
    private string? _resultKey;

    /// <summary>Creates an exception with a message and no response details.</summary>
    /// <param name="message">The message.</param>
    public TryOnException(string message)
        : this(message, details: null)
    {
    }

    /// <summary>Creates an exception with a message and the details of the failed call.</summary>
    /// <param name="message">The message.</param>
    /// <param name="details">What is known about the failed call; <see langword="null"/> for <see cref="TryOnErrorDetails.None"/>.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public TryOnException(string message, TryOnErrorDetails? details, Exception? innerException = null)
        : base(message, innerException)
    {
        Details = details ?? TryOnErrorDetails.None;
    }

    /// <summary>Everything known about the failed call.</summary>
    public TryOnErrorDetails Details { get; }

    /// <summary>The HTTP status code, or <see langword="null"/> when no response was received.</summary>
    public int? Status => Details.Status;

    /// <summary>The service's error code (for example <c>23500004</c>), or <see langword="null"/>.</summary>
    public string? ErrorCode => Details.ErrorCode;

    /// <summary>The vendor's request id, or <see langword="null"/>.</summary>
    public string? RequestId => Details.RequestId;

    /// <summary>
    /// The key of the job the failed call concerns, when one is known: the job queried or waited for (a wait that
    /// failed, also after <see cref="TryOnClient.SubmitAndWaitAsync(System.Collections.Generic.IEnumerable{TryOnTask}, TryOnWaitOptions?, System.Threading.CancellationToken)"/>
    /// submitted it), or the job an unreadable answer to a submit named. Wait for it again with this key.
    /// <see langword="null"/> when no job is known, as for a submit refused outright.
    /// </summary>
    public string? ResultKey
    {
        get => _resultKey;
        init => _resultKey = value;
    }

    /// <summary>
    /// Whether the same call may succeed if made again later. For this base type: true for HTTP 408, 429 and 5xx.
    /// Subtypes state their own answer.
    /// </summary>
    public virtual bool IsRetryable => Status is 408 or 429 or >= 500;

    /// <summary>Names the job the failure concerns, unless one is named already.</summary>
    internal void SetResultKey(string? resultKey, bool replace = false) => _resultKey = replace ? resultKey ?? _resultKey : _resultKey ?? resultKey;

    /// <summary>
    /// The <c>data.result_key</c> an error answer's body names, if any: not <see cref="ResultKey"/>, which names the job
    /// the call concerns (a query's own, or none for a refused submit), but the key a submit's answer left in doubt gives
    /// its <see cref="TryOnSubmitOutcomeUnknownException"/>.
    /// </summary>
    internal string? AnswerResultKey { get; set; }
}
