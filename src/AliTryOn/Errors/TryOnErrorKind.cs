namespace AliTryOn.Errors;

/// <summary>The families of errors; one exception type each (see <see cref="TryOnExceptionFactory"/>).</summary>
internal enum TryOnErrorKind
{
    Unknown,
    Authentication,
    OperationNotSupported,
    QuotaExceeded,
    Throttled,
    ContentRejected,
    ImageUnreachable,
    InvalidImage,
    JobNotFound,
    InvalidRequest,
    JobFailed,
    Service,
    Redirect,

    /// <summary>A success status whose body cannot be read (<see cref="TryOnInvalidResponseException"/>): never created by the classifier.</summary>
    InvalidResponse,
}
