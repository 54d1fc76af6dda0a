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

/// <summary>Reads and writes the <see cref="TryOnOperation"/> of a request.</summary>
internal static class TryOnOperationExtensions
{
    private const string Key = "AliTryOn.Operation";

#if NET5_0_OR_GREATER
    private static readonly HttpRequestOptionsKey<TryOnOperation> OptionKey = new(Key);

    public static void SetOperation(this HttpRequestMessage request, TryOnOperation operation) => request.Options.Set(OptionKey, operation);

    /// <summary>The operation, or <see cref="TryOnOperation.Submit"/> (the cautious choice) for a request that names none.</summary>
    public static TryOnOperation GetOperation(this HttpRequestMessage request) =>
        request.Options.TryGetValue(OptionKey, out var operation) ? operation : TryOnOperation.Submit;
#else
    public static void SetOperation(this HttpRequestMessage request, TryOnOperation operation) => request.Properties[Key] = operation;

    /// <summary>The operation, or <see cref="TryOnOperation.Submit"/> (the cautious choice) for a request that names none.</summary>
    public static TryOnOperation GetOperation(this HttpRequestMessage request) =>
        request.Properties.TryGetValue(Key, out var value) && value is TryOnOperation operation ? operation : TryOnOperation.Submit;
#endif
}
