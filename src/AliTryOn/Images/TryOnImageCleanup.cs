namespace AliTryOn;

/// <summary>What becomes of the images the client published for a job.</summary>
public enum TryOnImageCleanup
{
    /// <summary>
    /// Deleted from the image host once the client sees the job finished (a query or wait that finds every task ended),
    /// or at once when the submit created no job. The default.
    /// </summary>
    DeleteAfterCompletion,

    /// <summary>Left on the image host; their links still expire after <see cref="TryOnImageOptions.UrlLifetime"/>.</summary>
    Keep,
}
