using System.Globalization;

namespace AliTryOn.Cli.Arguments;

/// <summary>Reads durations written as <c>90</c> or <c>90s</c> (seconds), <c>10m</c>, <c>1h</c>, or <c>00:10:00</c>.</summary>
internal static class DurationParser
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        text = text.Trim();
        var unit = text.Length > 0 ? char.ToLowerInvariant(text[^1]) : '\0';
        var (number, scale) = unit switch
        {
            's' => (text[..^1], 1d),
            'm' => (text[..^1], 60d),
            'h' => (text[..^1], 3600d),
            _ => (text, 1d),
        };
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0 && amount * scale <= TimeSpan.MaxValue.TotalSeconds / 2)
        {
            value = TimeSpan.FromSeconds(amount * scale);
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value > TimeSpan.Zero;
    }
}
