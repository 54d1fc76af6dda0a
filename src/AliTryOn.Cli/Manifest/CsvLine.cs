using System.Text;

namespace AliTryOn.Cli.Manifest;

/// <summary>Splits one CSV line (RFC 4180 quoting: <c>"a,b"</c>, <c>""</c> for a quote; no line breaks inside fields).</summary>
internal static class CsvLine
{
    /// <exception cref="FormatException">A quoted field is not closed on its line.</exception>
    public static IReadOnlyList<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString().Trim());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw new FormatException($"field {fields.Count + 1} opens a quote (\") that the line never closes");
        }

        fields.Add(field.ToString().Trim());
        return fields;
    }

    /// <summary>Quotes a value when it holds a comma, a quote or a line break.</summary>
    public static string Escape(string? value) =>
        value is null ? string.Empty
        : value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : value;
}
