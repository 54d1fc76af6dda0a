using System;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.Testing.Wire;

namespace AliTryOn.Testing;

/// <summary>
/// Fetches a submitted image as the service would, and applies its input rules to the bytes: the code a submit fails
/// with (23500006 unreachable, 23500007 not meeting the rules), or what was received, for the result cards.
/// </summary>
internal sealed class ImageFetcher(TryOnEmulatorImageHost host, HttpMessageHandler? handler, TimeSpan timeout)
{
    /// <summary>
    /// What the emulator's own image host holds at <paramref name="url"/>, described for a result card without applying
    /// any rule (the client checked it before publishing); <see langword="null"/> for any other URL.
    /// </summary>
    public static string? DescribeOwn(TryOnEmulatorImageHost host, string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && IsOwn(host, uri)
        && host.Find(uri.AbsolutePath, uri.Query, out _) is { } stored
        && TryOnImageInfo.Identify(stored.Content) is { Width: > 0 } info
            ? Describe(stored.Name ?? LastSegment(uri), info, stored.Content.Length)
            : null;

    /// <summary>A generous cap: the vendor states none, and a test image is far smaller.</summary>
    private const int MaxBytes = 50 * 1024 * 1024;

    private readonly HttpClient _http = new(handler ?? new SocketsHttpHandler { AllowAutoRedirect = true, MaxAutomaticRedirections = 3 }, disposeHandler: handler is null)
    {
        Timeout = timeout,
        MaxResponseContentBufferSize = MaxBytes,
    };

    public async Task<(int Code, string? Received)> CheckAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return (ServiceCodes.ImageUnreachable, null);
        }

        byte[]? content;
        string name;
        if (IsOwn(uri))
        {
            var stored = host.Find(uri.AbsolutePath, uri.Query, out _);
            content = stored?.Content;
            name = stored?.Name ?? LastSegment(uri);
        }
        else
        {
            content = await FetchAsync(uri, cancellationToken).ConfigureAwait(false);
            name = LastSegment(uri);
        }

        if (content is null)
        {
            return (ServiceCodes.ImageUnreachable, null);
        }

        var info = TryOnImageInfo.Identify(content);
        if (info is null || info.Problem is not null || info.Width == 0 || info.Height == 0)
        {
            return (ServiceCodes.ImageInvalid, null);
        }

        return (0, Describe(name, info, content.Length));
    }

    /// <summary>An image as a result card names it: its name, its sides and its size.</summary>
    private static string Describe(string name, TryOnImageInfo info, int length) =>
        string.Create(CultureInfo.InvariantCulture, $"{name} {info.Width}X{info.Height} {Math.Max(1, (length + 512) / 1024)}KB");

    private bool IsOwn(Uri uri) => IsOwn(host, uri);

    private static bool IsOwn(TryOnEmulatorImageHost host, Uri uri) =>
        Uri.Compare(uri, host.BaseAddress, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
        && uri.AbsolutePath.StartsWith(TryOnEmulatorImageHost.PathPrefix, StringComparison.Ordinal);

    private async Task<byte[]?> FetchAsync(Uri uri, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false) : null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or System.IO.IOException)
        {
            // Unreachable, too slow (HttpClient.Timeout), or larger than the cap: the service could not use it either.
            return null;
        }
    }

    private static string LastSegment(Uri uri)
    {
        var path = uri.AbsolutePath.TrimEnd('/');
        return Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
    }
}
