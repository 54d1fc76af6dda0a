using System;
using System.Buffers;

namespace AliTryOn.Http;

/// <summary>Bytes in a buffer rented from <see cref="ArrayPool{T}.Shared"/>; dispose once to return it.</summary>
internal readonly struct PooledBytes : IDisposable
{
    private readonly byte[]? _buffer;

    public PooledBytes(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer is null ? default : new ReadOnlySpan<byte>(_buffer, 0, Length);

    /// <summary>The bytes as an array segment, for stream APIs; an empty array when there are none.</summary>
    public ArraySegment<byte> Segment => _buffer is null ? new ArraySegment<byte>([]) : new ArraySegment<byte>(_buffer, 0, Length);

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}
