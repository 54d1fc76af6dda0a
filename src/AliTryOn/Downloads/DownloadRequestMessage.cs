using System;
using System.Net.Http;

namespace AliTryOn.Downloads;

/// <summary>
/// A result download: a GET of the link, carrying the call's size limit and progress for <see cref="DownloadHandler"/>,
/// which reads the body within each attempt. It has no header but <c>Accept</c>; the chain adds no credentials.
/// </summary>
internal sealed class DownloadRequestMessage : HttpRequestMessage
{
    public DownloadRequestMessage(Uri url, long maxBytes, IProgress<TryOnDownloadProgress>? progress)
        : base(HttpMethod.Get, url)
    {
        MaxBytes = maxBytes;
        Progress = progress;
        Headers.TryAddWithoutValidation("Accept", "image/*");
    }

    public long MaxBytes { get; }

    public IProgress<TryOnDownloadProgress>? Progress { get; }
}
