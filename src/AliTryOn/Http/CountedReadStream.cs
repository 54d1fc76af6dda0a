using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace AliTryOn.Http;

/// <summary>
/// The bytes of a response read through a decoder, counted, and ended (as if the stream ended) one byte past a limit: a
/// gzip body that decodes to little (a long file name in its header, empty members) is read no further than a plain
/// one.
/// </summary>
/// <param name="inner">The response's stream, which this one does not own.</param>
/// <param name="limit">How many bytes may be read; one more is read to tell that the body goes on.</param>
internal sealed class CountedReadStream(Stream inner, long limit) : Stream
{
    /// <summary>The bytes read so far: more than the limit when the body goes on past it.</summary>
    public long Count { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, Allowed(count)));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Counted(await inner.ReadAsync(buffer, offset, Allowed(count), cancellationToken).ConfigureAwait(false));

#if NETCOREAPP2_1_OR_GREATER
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Counted(await inner.ReadAsync(buffer[..Allowed(buffer.Length)], cancellationToken).ConfigureAwait(false));
#endif

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>How many of <paramref name="count"/> bytes may still be read: none once one past the limit was.</summary>
    private int Allowed(int count) => (int)Math.Min(count, Math.Max(0, limit + 1 - Count));

    private int Counted(int read)
    {
        Count += read;
        return read;
    }
}
