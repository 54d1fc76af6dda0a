namespace AliTryOn;

/// <summary>How far the download of one result image has got; see <see cref="TryOnDownloadOptions.Progress"/>.</summary>
/// <param name="BytesReceived">Bytes of the image received so far by the current attempt.</param>
/// <param name="TotalBytes">The image's size from its <c>Content-Length</c>, or <see langword="null"/> when the response did not declare it.</param>
/// <param name="TaskIndex">
/// When downloading a whole job: the index of the task the image belongs to (<see cref="TryOnTaskResult.Index"/>);
/// otherwise <see langword="null"/>.
/// </param>
/// <param name="ResultIndex">When downloading a whole job: the image's position in the task's result URLs; otherwise <see langword="null"/>.</param>
public sealed record TryOnDownloadProgress(long BytesReceived, long? TotalBytes, int? TaskIndex = null, int? ResultIndex = null);
