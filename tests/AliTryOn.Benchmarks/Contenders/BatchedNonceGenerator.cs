using System.Security.Cryptography;

namespace AliTryOn.Benchmarks.Contenders;

/// <summary>
/// The tuned baseline's nonces: 128 bits from the secure generator as 32 lowercase hex digits, the random bytes drawn
/// 64 nonces at a time (one system call per batch, as the SDK's generator does) and cleared as they are handed out.
/// Thread-safe.
/// </summary>
public sealed class BatchedNonceGenerator
{
    private const int NonceBytes = 16;
    private const int BatchSize = 64;

    private readonly Lock _gate = new();
    private readonly byte[] _batch = new byte[NonceBytes * BatchSize];
    private int _next = NonceBytes * BatchSize; // empty: the first nonce fills the batch

    public string Create()
    {
        Span<byte> bytes = stackalloc byte[NonceBytes];
        lock (_gate)
        {
            if (_next == _batch.Length)
            {
                RandomNumberGenerator.Fill(_batch);
                _next = 0;
            }

            var taken = _batch.AsSpan(_next, NonceBytes);
            taken.CopyTo(bytes);
            taken.Clear();
            _next += NonceBytes;
        }

        return Convert.ToHexStringLower(bytes);
    }
}
