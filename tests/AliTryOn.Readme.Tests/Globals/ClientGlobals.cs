#pragma warning disable IDE1006, SA1300 // Named as the README's snippets name them.
using Microsoft.Extensions.Logging.Abstractions;

namespace AliTryOn.Readme.Tests.Globals;

/// <summary>
/// What the snippets using a client see: the <c>client</c>, images (<c>model</c>, <c>top</c>, <c>dress</c>), <c>tasks</c>,
/// a <c>resultKey</c>, a <c>job</c> variable, an <c>httpContext</c> to answer, a <c>folder</c>, a <c>logger</c> and a
/// <c>cancellationToken</c>: the surroundings of the snippet in a reader's code.
/// </summary>
public sealed class ClientGlobals(TryOnClient client)
{
    public TryOnClient client { get; } = client;

    public Uri model { get; } = new("https://img.example.com/model.jpg");

    public Uri top { get; } = new("https://img.example.com/top.jpg");

    public Uri dress { get; } = new("https://img.example.com/dress.jpg");

    public TryOnTask[] tasks { get; init; } = [];

    public string resultKey { get; init; } = string.Empty;

    public TryOnJob? job { get; set; }

    public HttpContext httpContext { get; } = new DefaultHttpContext { Response = { Body = new MemoryStream() } };

    public string folder { get; init; } = "results";

    public ILogger logger { get; init; } = NullLogger.Instance;

    public CancellationToken cancellationToken { get; init; }
}
