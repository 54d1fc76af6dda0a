using System;
using System.Collections.Generic;

namespace AliTryOn.Testing;

/// <summary>
/// A request the emulator received and what it answered. Secrets are not kept: the <c>Authorization</c> value shows
/// only its scheme, and signature headers are masked.
/// </summary>
/// <param name="Sequence">Zero-based arrival order.</param>
/// <param name="Timestamp">When it arrived, on the emulator's clock.</param>
/// <param name="Operation">What it asked for.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, relative to where the emulator is mapped, with the query string.</param>
/// <param name="Headers">The request headers with secrets masked; one entry a header, values joined with a comma.</param>
/// <param name="Nonce">The <c>X-Ca-Nonce</c> header, or <see langword="null"/>.</param>
/// <param name="Body">The body as UTF-8 text, or <see langword="null"/> when empty.</param>
/// <param name="Status">The HTTP status answered; 0 when the connection was dropped.</param>
/// <param name="ErrorCode">The service code answered (for example <c>23500004</c>), or the gateway's error message, or <see langword="null"/> on success.</param>
/// <param name="Fault">The scripted fault that struck the request, or <see langword="null"/>.</param>
/// <param name="ResultKey">The job a submit created, or the job a query or download asked for; <see langword="null"/> otherwise.</param>
public sealed record TryOnEmulatorRequest(
    int Sequence,
    DateTimeOffset Timestamp,
    TryOnEmulatorOperation Operation,
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    string? Nonce,
    string? Body,
    int Status,
    string? ErrorCode,
    TryOnEmulatorFault? Fault,
    string? ResultKey)
{
    /// <summary>Whether a submit created a job (and so, on the real service, was billed).</summary>
    public bool CreatedJob => Operation == TryOnEmulatorOperation.Submit && ResultKey is not null;
}
