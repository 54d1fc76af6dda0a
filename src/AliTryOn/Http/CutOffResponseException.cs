using System;
using System.IO;

namespace AliTryOn.Http;

/// <summary>
/// The connection broke while a response body was read, after part of it arrived. Still a lost connection for the
/// retry policy and the caller; it also keeps the result key the part that arrived names, so a submit whose answer
/// was cut off after its <c>result_key</c> still names the job it created (and that is billed).
/// </summary>
internal sealed class CutOffResponseException(string message, Exception innerException, string? resultKey) : IOException(message, innerException)
{
    /// <summary>The <c>data.result_key</c> of the part of the body that arrived, if it names one.</summary>
    public string? ResultKey { get; } = resultKey;
}
