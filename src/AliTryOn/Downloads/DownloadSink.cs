using System;
using System.IO;

namespace AliTryOn.Downloads;

/// <summary>
/// Where <see cref="DownloadHandler"/> streams a download's body, attempt by attempt, so an image of any size passes
/// through a buffer of one chunk and a retried attempt starts again from an empty sink. Whoever made the request owns
/// the sink: it keeps what was written once the download succeeded, and disposing it otherwise takes it back.
/// </summary>
internal abstract class DownloadSink : IDisposable
{
    /// <summary>
    /// Starts writing the body of an attempt, of <paramref name="mediaType"/> (already checked to be an image) and of
    /// <paramref name="declaredLength"/> bytes when the response declared it (at most the limit): an empty stream, at
    /// its start, whatever an earlier attempt wrote. The handler writes and flushes it but does not dispose it.
    /// </summary>
    /// <exception cref="IOException">The sink could not be prepared (a temporary file could not be created).</exception>
    /// <exception cref="UnauthorizedAccessException">The folder may not be written.</exception>
    public abstract Stream Start(string mediaType, long? declaredLength);

    /// <summary>Takes back what was written, unless the sink was kept.</summary>
    public abstract void Dispose();
}
