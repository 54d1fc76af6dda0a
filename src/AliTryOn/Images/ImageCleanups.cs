using System.Collections.Concurrent;
using System.Collections.Generic;

namespace AliTryOn.Images;

/// <summary>
/// The images published for jobs not yet seen finished, by result key: shared by every client of one registration (DI
/// clients are transient), so the client that sees a job end deletes its images whichever one submitted it.
/// </summary>
internal sealed class ImageCleanups
{
    private static readonly System.TimeSpan PruneInterval = System.TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, PublishedImages> _pending = new(System.StringComparer.Ordinal);

    /// <summary>When the entries whose links expired are next looked for (a race between two adds only prunes twice).</summary>
    private System.DateTimeOffset _nextPrune;

    /// <summary>Whether any job's images wait for it to end: the query path checks this first, so it costs nothing otherwise.</summary>
    public bool IsEmpty => _pending.IsEmpty;

    /// <summary>The jobs whose images wait for them to end.</summary>
    public int Count => _pending.Count;

    /// <summary>
    /// Keeps <paramref name="images"/> until <paramref name="resultKey"/>'s job is seen ended, and takes out those whose
    /// links expired by <paramref name="now"/> (looked for at most once a minute), to be deleted now: the service can no
    /// longer fetch them, and a job no client of this process sees end (a shopper who left, another instance's wait)
    /// would otherwise hold its entry, and its objects, for the life of the process.
    /// </summary>
    /// <returns>The images taken out, whose links expired; usually none.</returns>
    public IReadOnlyList<PublishedImages> Add(string resultKey, PublishedImages images, System.DateTimeOffset now)
    {
        _pending[resultKey] = images;
        if (now < _nextPrune)
        {
            return [];
        }

        _nextPrune = now + PruneInterval;
        List<PublishedImages>? expired = null;
        foreach (var entry in _pending)
        {
            // Removed as seen: an entry put again under the same key meanwhile is not the one that expired.
            if (entry.Value.ExpiresAt <= now && ((ICollection<KeyValuePair<string, PublishedImages>>)_pending).Remove(entry))
            {
                (expired ??= []).Add(entry.Value);
            }
        }

        return expired ?? (IReadOnlyList<PublishedImages>)[];
    }

    public bool TryTake(string resultKey, out PublishedImages? images) => _pending.TryRemove(resultKey, out images);

    /// <summary>The keys of the images that wait for <paramref name="resultKey"/> to end; none when no images wait for it.</summary>
    public IReadOnlyList<string> KeysOf(string resultKey) => _pending.TryGetValue(resultKey, out var images) ? images.Keys : [];
}
