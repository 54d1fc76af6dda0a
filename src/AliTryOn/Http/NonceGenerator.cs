using System;

namespace AliTryOn.Http;

/// <summary>
/// Creates <c>X-Ca-Nonce</c> values as <see cref="Nonce"/> does, for one authentication handler and all its requests
/// (thread-safe), taking the random bytes from a batch.
/// </summary>
/// <remarks>
/// Each call to the secure generator is a system call that costs microseconds whatever the length: about a third of a
/// whole in-memory request in a virtual machine, so one call per nonce would dominate the client's own cost. The batch
/// holds <see cref="BatchSize"/> nonces' bytes, and each nonce's bytes are cleared from it as they are handed out.
/// </remarks>
internal sealed class NonceGenerator
{
    private const int BatchSize = 64;

    private readonly object _gate = new();
    private readonly byte[] _batch = new byte[Nonce.ByteLength * BatchSize];
    private int _next = Nonce.ByteLength * BatchSize; // empty: the first nonce fills the batch

    public string Create()
    {
        Span<byte> bytes = stackalloc byte[Nonce.ByteLength];
        lock (_gate)
        {
            if (_next == _batch.Length)
            {
                Nonce.Fill(_batch);
                _next = 0;
            }

            var taken = new Span<byte>(_batch, _next, Nonce.ByteLength);
            taken.CopyTo(bytes);
            taken.Clear();
            _next += Nonce.ByteLength;
        }

        return Nonce.ToLowerHex(bytes);
    }
}
