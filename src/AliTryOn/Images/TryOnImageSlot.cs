namespace AliTryOn;

/// <summary>Where an image sits in a task.</summary>
public enum TryOnImageSlot
{
    /// <summary>The photo of the person, <see cref="TryOnTask.ModelImage"/>.</summary>
    ModelImage,

    /// <summary>The upper-body garment, <see cref="TryOnTask.Upper"/>.</summary>
    Upper,

    /// <summary>The lower-body garment, <see cref="TryOnTask.Lower"/>.</summary>
    Lower,

    /// <summary>The full-body garment, <see cref="TryOnTask.FullBody"/>.</summary>
    FullBody,
}
