namespace AliTryOn;

/// <summary>A result image that was downloaded.</summary>
/// <param name="ContentType">Its media type as the storage host declared it, for example <c>image/png</c>.</param>
/// <param name="Length">Its size in bytes.</param>
/// <param name="FilePath">The full path of the file it was saved to, or <see langword="null"/> when it was written to a stream.</param>
/// <param name="TaskIndex">When downloading a whole job: the index of its task (<see cref="TryOnTaskResult.Index"/>); otherwise <see langword="null"/>.</param>
/// <param name="ResultIndex">When downloading a whole job: its position in the task's result URLs; otherwise <see langword="null"/>.</param>
public sealed record TryOnDownloadedImage(
    string ContentType,
    long Length,
    string? FilePath = null,
    int? TaskIndex = null,
    int? ResultIndex = null);
