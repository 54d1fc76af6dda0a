using System;
using System.IO;

namespace AliTryOn.Downloads;

/// <summary>
/// A download straight into a caller's stream that can be taken back: seekable, writable, and positioned at its end,
/// so a retried attempt, a failure or a cancellation truncates it to where it was and nothing else is touched.
/// </summary>
internal sealed class StreamDownloadSink : DownloadSink
{
    private readonly Stream _destination;
    private readonly long _start;
    private bool _written;
    private bool _kept;

    private StreamDownloadSink(Stream destination, long start)
    {
        _destination = destination;
        _start = start;
    }

    /// <summary>A sink over <paramref name="destination"/>, or <see langword="null"/> when it cannot be truncated back safely.</summary>
    public static StreamDownloadSink? TryCreate(Stream destination)
    {
        try
        {
            // At its end only: truncating a stream written in its middle would cut what follows.
            return destination.CanSeek && destination.CanWrite && destination.Position == destination.Length
                ? new StreamDownloadSink(destination, destination.Position)
                : null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    public override Stream Start(string mediaType, long? declaredLength)
    {
        if (_written)
        {
            Rewind();
        }

        _written = true;
        return _destination;
    }

    /// <summary>The image is complete: it stays.</summary>
    public void Keep() => _kept = true;

    public override void Dispose()
    {
        if (_written && !_kept)
        {
            try
            {
                Rewind();
            }
            catch (Exception exception) when (exception is IOException or NotSupportedException or ObjectDisposedException)
            {
                // The failure being handled is the one to report.
            }
        }
    }

    private void Rewind()
    {
        _destination.SetLength(_start);
        _destination.Position = _start;
    }
}
