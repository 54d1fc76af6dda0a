using System.IO;

namespace AliTryOn.Downloads;

/// <summary>
/// A download held in memory (up to the size limit): for a caller's stream that cannot be taken back (a network or
/// pipe stream, or one written in its middle), which receives the image only once it is complete.
/// </summary>
internal sealed class MemoryDownloadSink : DownloadSink
{
    private readonly MemoryStream _buffer = new();

    /// <summary>The image, once complete; read it from its start.</summary>
    public MemoryStream Buffer => _buffer;

    public override Stream Start(string mediaType, long? declaredLength)
    {
        _buffer.SetLength(0);
        if (declaredLength is { } length && length > _buffer.Capacity)
        {
            // One buffer of the declared size (at most the limit, an int), not a doubling series up to twice it.
            _buffer.Capacity = (int)length;
        }

        return _buffer;
    }

    public override void Dispose() => _buffer.Dispose();
}
