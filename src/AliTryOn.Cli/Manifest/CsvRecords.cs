using System.Globalization;
using AliTryOn.Cli.Hosting;
using CsvHelper;
using CsvHelper.Configuration;

namespace AliTryOn.Cli.Manifest;

/// <summary>
/// The records of a CSV manifest, read by CsvHelper (RFC 4180 quoting), each with the line it is on. The separator is
/// the header's: a comma, a semicolon (what spreadsheets write where the comma is the decimal sign) or a tab.
/// </summary>
internal static class CsvRecords
{
    /// <summary>The separators a manifest may use, in the order they are looked for in its header.</summary>
    public static readonly char[] Separators = [',', ';', '\t'];

    /// <summary>
    /// Reads every record of <paramref name="text"/>, fields trimmed; blank lines, and lines whose first character
    /// other than a space is <c>#</c>, are skipped.
    /// </summary>
    /// <param name="text">The file's text.</param>
    /// <param name="name">The file's name, for messages.</param>
    /// <exception cref="CliException">A field's quotes are malformed (never closed on its line, or text after the closing quote); the message names the line and the field.</exception>
    public static IEnumerable<(int Line, string[] Fields)> Read(string text, string name)
    {
        string? badField = null;
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = SeparatorOf(text).ToString(),
            AllowComments = true,
            Comment = '#',
            IgnoreBlankLines = true,
            TrimOptions = TrimOptions.Trim,
            // A manifest's fields are URLs, paths and names: a line break in quotes is a quote left open, reported on
            // its line, not a field that swallows the rest of the file.
            LineBreakInQuotedFieldIsBadData = true,
            BadDataFound = args => badField = args.Field,
        };
        using var parser = new CsvParser(new StringReader(text), configuration);
        while (parser.Read())
        {
            var raw = parser.RawRecord.TrimEnd('\r', '\n');
            if (string.IsNullOrWhiteSpace(raw) || raw.TrimStart().StartsWith('#'))
            {
                continue;
            }

            // The parser counts the line break that ends a quote left open: the record starts that many lines up.
            var line = parser.RawRow - raw.Count(c => c == '\n');
            var fields = new string[parser.Count];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = parser[i].Trim();
                if (badField is { } bad)
                {
                    throw new CliException($"{name} line {line}: field {i + 1} " + (bad.Count(c => c == '"') % 2 == 1
                        ? "opens a quote (\") that the line never closes. Close it, or double a quote inside a quoted field (\"\")."
                        : "has text after its closing quote. Quote the whole field (\"…\"), and double a quote inside it (\"\")."));
                }
            }

            yield return (line, fields);
        }
    }

    /// <summary>The first separator found in the header (the first line neither blank nor a comment); a comma if none.</summary>
    private static char SeparatorOf(string text)
    {
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            var header = line.Trim();
            if (!header.IsEmpty && header[0] != '#')
            {
                return header.IndexOfAny(Separators) is var at and >= 0 ? header[at] : ',';
            }
        }

        return ',';
    }
}
