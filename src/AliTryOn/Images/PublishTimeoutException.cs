using System;

namespace AliTryOn.Images;

/// <summary>
/// Publishing ran past <see cref="TryOnImageOptions.PublishTimeout"/>: the inner exception of a
/// <see cref="TryOnImagePublishException"/>, whose message quotes this one (the client's words, holding no credential).
/// </summary>
internal sealed class PublishTimeoutException(TimeSpan timeout, Exception innerException) : TimeoutException(
    $"it did not finish publishing within {timeout} (TryOnImageOptions.PublishTimeout; Images:PublishTimeout in configuration), and the uploads still going were cancelled",
    innerException);
