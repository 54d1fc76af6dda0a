#pragma warning disable IDE1006, SA1300 // Named as the README's snippets name them.
namespace AliTryOn.Readme.Tests.Globals;

/// <summary>What the snippet building its own HttpClient sees: the client's <c>options</c> and the app's transport, <c>myHandler</c>.</summary>
public sealed class OwnHttpClientGlobals(TryOnClientOptions options, HttpMessageHandler myHandler)
{
    public TryOnClientOptions options { get; } = options;

    public HttpMessageHandler myHandler { get; } = myHandler;
}
