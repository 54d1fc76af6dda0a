using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AliTryOn.Cli.Tests.TestSupport;

/// <summary>
/// Images at URLs, on loopback: <c>/img/{name}</c> answers the bytes given to <see cref="Add"/> as image/png (ranges
/// too), anything else 404. Counts the requests, so a test can tell what was fetched.
/// </summary>
public sealed class ImageServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, byte[]> _images = new(StringComparer.Ordinal);
    private LoopbackApp _app = null!;
    private int _requests;

    private ImageServer()
    {
    }

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<ImageServer> StartAsync()
    {
        var server = new ImageServer();
        server._app = await LoopbackApp.StartAsync(app => app.MapGet("/img/{name}", (string name) =>
        {
            Interlocked.Increment(ref server._requests);
            return server._images.TryGetValue(name, out var bytes) ? Results.Bytes(bytes, "image/png", enableRangeProcessing: true) : Results.NotFound();
        }));
        return server;
    }

    /// <summary>Serves <paramref name="bytes"/> at the URL returned.</summary>
    public string Add(string name, byte[] bytes)
    {
        _images[name] = bytes;
        return Url(name);
    }

    /// <summary>The URL of <paramref name="name"/>, served or not.</summary>
    public string Url(string name) => new Uri(_app.Address, "/img/" + name).AbsoluteUri;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
