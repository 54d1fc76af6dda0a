namespace AliTryOn;

/// <summary>Why an image was refused before anything was sent.</summary>
public enum TryOnImageProblem
{
    /// <summary>The image is not a URL and the client has no image host to publish it.</summary>
    NoImageHost,

    /// <summary>The file or stream could not be read (missing, no permission, an I/O error).</summary>
    Unreadable,

    /// <summary>The image is larger than <see cref="TryOnImageOptions.MaxBytes"/>.</summary>
    TooLarge,

    /// <summary>The content is not an image the client recognises.</summary>
    NotAnImage,

    /// <summary>An image, but in a format other than those of <see cref="TryOnImageFormat"/>.</summary>
    UnsupportedFormat,

    /// <summary>A side is shorter than 400 px or longer than 4096 px.</summary>
    Dimensions,

    /// <summary>A URL image could not be fetched by the pre-flight check (<see cref="TryOnImageOptions.CheckUrls"/>).</summary>
    Unreachable,
}
