using System;

namespace AliTryOn;

/// <summary>A result image of a job that could not be downloaded; see <see cref="TryOnDownloadsFailedException.Failures"/>.</summary>
/// <param name="TaskIndex">The index of its task (<see cref="TryOnTaskResult.Index"/>).</param>
/// <param name="ResultIndex">Its position in the task's <see cref="TryOnTaskResult.ResultUrls"/>.</param>
/// <param name="Exception">
/// Why: the exception a download of this image alone raises, such as <see cref="TryOnResultExpiredException"/>,
/// <see cref="TryOnDownloadException"/> (HTTP 404…), <see cref="TryOnUnexpectedContentTypeException"/>,
/// <see cref="TryOnDownloadTooLargeException"/>, <see cref="TryOnConnectionException"/>, <see cref="TryOnTimeoutException"/>,
/// or an <see cref="System.IO.IOException"/> or <see cref="UnauthorizedAccessException"/> when its file could not be written.
/// </param>
public sealed record TryOnDownloadFailure(int TaskIndex, int ResultIndex, Exception Exception);
