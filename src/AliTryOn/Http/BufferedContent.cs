using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace AliTryOn.Http;

/// <summary>
/// A response body already read into a pooled buffer, standing in for the content it was read from, with what the
/// mapper read from it: nobody reads or maps the body a second time, and anything else can still read it as a stream.
/// Disposing it (the response does) returns the buffer.
/// </summary>
internal sealed class BufferedContent : HttpContent
{
    private PooledBytes _bytes;
    private int _disposed;

    public BufferedContent(PooledBytes bytes, TryOnAnswer answer)
    {
        _bytes = bytes;
        Answer = answer;
    }

    /// <summary>What the response said, read once.</summary>
    public TryOnAnswer Answer { get; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var segment = Segment();
        return stream.WriteAsync(segment.Array!, segment.Offset, segment.Count);
    }

#if NET5_0_OR_GREATER
    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var segment = Segment();
        stream.Write(segment.Array!, segment.Offset, segment.Count);
    }

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => CreateStream();
#endif

    protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult(CreateStream());

    protected override bool TryComputeLength(out long length)
    {
        length = _bytes.Length;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        // The response and its content may each be disposed more than once; the buffer goes back to the pool once.
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _bytes.Dispose();
            _bytes = default;
        }

        base.Dispose(disposing);
    }

    private Stream CreateStream()
    {
        var segment = Segment();
        return new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
    }

    private ArraySegment<byte> Segment()
    {
        ThrowIfDisposed();
        return _bytes.Segment;
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException(nameof(BufferedContent));
        }
    }
}
