using System;
using System.Net.Http;

namespace AliTryOn.Downloads;

/// <summary>
/// A result download: a GET of the link, carrying the call's size limit, progress and sink for
/// <see cref="DownloadHandler"/>, which streams the body into the sink within each attempt. It has no header but
/// <c>Accept</c> and <c>Accept-Encoding: identity</c> (the image as stored: without that header a host may compress it,
/// and the bytes saved would not be the image); the chain adds no credentials.
/// </summary>
internal sealed class DownloadRequestMessage : HttpRequestMessage
{
    public DownloadRequestMessage(Uri url, long maxBytes, IProgress<TryOnDownloadProgress>? progress, DownloadSink? sink = null)
        : base(HttpMethod.Get, url)
    {
        MaxBytes = maxBytes;
        Progress = progress;
        Sink = sink;
        Headers.TryAddWithoutValidation("Accept", "image/*");
        Headers.TryAddWithoutValidation("Accept-Encoding", "identity");
    }

    public long MaxBytes { get; }

    public IProgress<TryOnDownloadProgress>? Progress { get; }

    /// <summary>
    /// Where the body goes: the response then has an empty content with the image's headers and its
    /// <c>Content-Length</c>. <see langword="null"/>: the body is read into memory and the response holds it.
    /// </summary>
    public DownloadSink? Sink { get; }
}
