using System.Net.Http;

namespace AliTryOn.Http;

/// <summary>What a request does, which decides how it may be retried. Carried on the request for the handlers.</summary>
internal enum TryOnOperation
{
    /// <summary>Creates, and bills, a job: retried only when provably not processed.</summary>
    Submit,

    /// <summary>Reads a job: idempotent, retried after transient failures.</summary>
    Query,
}

/// <summary>Reads the <see cref="TryOnOperation"/> of a request.</summary>
internal static class TryOnOperationExtensions
{
    /// <summary>The operation, or <see cref="TryOnOperation.Submit"/> (the cautious choice) for a request the client did not create.</summary>
    public static TryOnOperation GetOperation(this HttpRequestMessage request) =>
        request is TryOnRequestMessage own ? own.Operation : TryOnOperation.Submit;
}
