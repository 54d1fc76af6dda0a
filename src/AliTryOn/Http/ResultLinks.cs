using System;
using System.Collections;
using System.Collections.Generic;
using System.Threading;

namespace AliTryOn.Http;

/// <summary>
/// A task's result links as read from an answer: each <see cref="Uri"/> is made when first read and then kept. Every
/// link was checked when the answer was read (by <see cref="PlainHttpUrl"/>, or parsed there and then when the quick
/// check could not vouch for it), so making one cannot fail; a poll that never reads its links does not pay for them.
/// </summary>
/// <remarks>Thread-safe: two threads reading a link at once may both parse it, and both get the same instance.</remarks>
internal sealed class ResultLinks : IReadOnlyList<Uri>
{
    private readonly string[] _texts;
    private readonly Uri?[] _uris;
    private readonly int _count;

    /// <param name="texts">The text of each link <paramref name="uris"/> has no <see cref="Uri"/> for yet, one that <see cref="PlainHttpUrl.IsPlain"/> passes; unread elsewhere.</param>
    /// <param name="uris">The links already parsed, at the same positions; the others are <see langword="null"/>.</param>
    /// <param name="count">How many of the arrays' first elements are links: the arrays are sized for every entry of the answer, blank ones included.</param>
    public ResultLinks(string[] texts, Uri?[] uris, int count)
    {
        _texts = texts;
        _uris = uris;
        _count = count;
    }

    public int Count => _count;

    public Uri this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, _count == 0 ? "The task has no result links." : $"The index must be from 0 to {_count - 1}.");
            }

            return Volatile.Read(ref _uris[index]) ?? Make(index);
        }
    }

    /// <summary>Whether the link at <paramref name="index"/> is a <see cref="Uri"/> yet, made or parsed: what the tests of laziness read.</summary>
    internal bool IsMade(int index) => Volatile.Read(ref _uris[index]) is not null;

    public IEnumerator<Uri> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Uri Make(int index)
    {
        var uri = new Uri(_texts[index], UriKind.Absolute);
        return Interlocked.CompareExchange(ref _uris[index], uri, null) ?? uri;
    }
}
