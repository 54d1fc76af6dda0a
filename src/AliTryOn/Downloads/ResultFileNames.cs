using System.Globalization;
using System.Text;

namespace AliTryOn.Downloads;

/// <summary>
/// File names of a job's results: <c>{result key}-task{task index}-result{result index}{extension}</c>, for example
/// <c>93be295c-task0-result2.png</c>. The result key is reduced to characters safe in a file name on every system.
/// </summary>
internal static class ResultFileNames
{
    /// <summary>The longest part of a file name the result key makes.</summary>
    private const int MaxKeyLength = 100;

    public static string For(string resultKey, int taskIndex, int resultIndex, string extension) =>
        string.Format(CultureInfo.InvariantCulture, "{0}-task{1}-result{2}{3}", SafeKey(resultKey), taskIndex, resultIndex, extension);

    /// <summary>Letters, digits, <c>-</c>, <c>_</c> and <c>.</c> kept, anything else <c>_</c>; never empty or only dots.</summary>
    internal static string SafeKey(string resultKey)
    {
        var safe = new StringBuilder(System.Math.Min(resultKey.Length, MaxKeyLength));
        foreach (var c in resultKey)
        {
            if (safe.Length == MaxKeyLength)
            {
                break;
            }

            safe.Append(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_' or '.' ? c : '_');
        }

        var text = safe.ToString().Trim('.');
        return text.Length == 0 ? "job" : text;
    }
}
