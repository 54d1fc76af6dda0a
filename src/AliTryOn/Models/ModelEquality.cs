using System.Collections.Generic;
using System.Linq;

namespace AliTryOn;

/// <summary>
/// Value equality for the models' lists: a record compares its members with their own equality, which for a list is
/// its reference, so a model read back from JSON would never equal the one written.
/// </summary>
internal static class ModelEquality
{
    /// <summary>Whether both lists hold equal items in the same order (both <see langword="null"/> counts as equal).</summary>
    public static bool SameItems<T>(IReadOnlyList<T>? left, IReadOnlyList<T>? right) =>
        ReferenceEquals(left, right) || (left is not null && right is not null && left.Count == right.Count && left.SequenceEqual(right));

    /// <summary>A hash of a model's key and its list's length: equal models have equal hashes, whatever the lists hold.</summary>
    public static int Hash<T>(string? key, IReadOnlyList<T>? items) =>
        ((key is null ? 0 : System.StringComparer.Ordinal.GetHashCode(key)) * 397) ^ (items?.Count ?? 0);
}
