using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AliTryOn.Downloads;

/// <summary>
/// File names of a job's results: <c>{result key}-task{task index}-result{result index}{extension}</c>, for example
/// <c>93be295c-task0-result2.png</c>. The result key is reduced to characters safe in a file name on every system.
/// </summary>
internal static class ResultFileNames
{
    /// <summary>The longest part of a file name the result key makes, its hash included.</summary>
    private const int MaxKeyLength = 100;

    /// <summary>Hex digits of the key's SHA-256 added to a key that had to be changed.</summary>
    private const int HashLength = 8;

    public static string For(string resultKey, int taskIndex, int resultIndex, string extension) =>
        string.Format(CultureInfo.InvariantCulture, "{0}-task{1}-result{2}{3}", SafeKey(resultKey), taskIndex, resultIndex, extension);

    /// <summary>
    /// Letters, digits, <c>-</c>, <c>_</c> and <c>.</c> kept, anything else <c>_</c>; never empty or only dots. A key
    /// that had to be changed (a character replaced, cut to length, or dots trimmed), or that has capitals, ends with
    /// <c>-</c> and a hash of the key as given, so different keys keep different file names (but for a clash of the 32-bit hash), even where case is ignored.
    /// </summary>
    internal static string SafeKey(string resultKey)
    {
        var safe = new StringBuilder(resultKey.Length);
        foreach (var c in resultKey)
        {
            safe.Append(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_' or '.' ? c : '_');
        }

        var text = safe.ToString().Trim('.');
        // Capitals count as a change: on a file system that ignores case, "Ab" and "ab" would be one file.
        if (text.Length is > 0 and <= MaxKeyLength && text == resultKey && text == text.ToLowerInvariant())
        {
            return text;
        }

        var kept = text.Substring(0, System.Math.Min(text.Length, MaxKeyLength - HashLength - 1));
        return (kept.Length == 0 ? "job" : kept) + "-" + Hash(resultKey);
    }

    private static string Hash(string resultKey)
    {
        using var sha = SHA256.Create();
        var digest = sha.ComputeHash(Encoding.UTF8.GetBytes(resultKey));
        var hex = new StringBuilder(HashLength);
        for (var i = 0; i < HashLength / 2; i++)
        {
            hex.Append(digest[i].ToString("x2", CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }
}
