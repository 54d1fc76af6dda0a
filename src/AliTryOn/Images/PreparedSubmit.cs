namespace AliTryOn.Images;

/// <summary>Tasks whose images are all URLs, ready to send, and what was published to make them so (or <see langword="null"/>).</summary>
internal sealed record PreparedSubmit(TryOnTask[] Tasks, PublishedImages? Published);
