using System;
using System.Net.Http;

namespace AliTryOn.Http;

/// <summary>
/// A request the client sends, carrying its <see cref="TryOnOperation"/> as a field: setting it in
/// <see cref="HttpRequestMessage"/>'s options would allocate the options dictionary and a boxed value on every call.
/// </summary>
internal sealed class TryOnRequestMessage(TryOnOperation operation, Uri uri) : HttpRequestMessage(HttpMethod.Post, uri)
{
    public TryOnOperation Operation { get; } = operation;
}
