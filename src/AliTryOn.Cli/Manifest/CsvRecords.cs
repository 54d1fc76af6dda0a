using System.Globalization;
using AliTryOn.Cli.Hosting;
using CsvHelper;
using CsvHelper.Configuration;

namespace AliTryOn.Cli.Manifest;

/// <summary>
/// The records of a CSV manifest, each on one line, its fields split by CsvHelper (RFC 4180 quoting). The separator is
/// the header's: a comma, a semicolon (what spreadsheets write where the comma is the decimal sign) or a tab.
/// </summary>
/// <remarks>
/// A manifest's fields are URLs, paths and names, none with a line break: the text is taken line by line, so that a
/// quote left open is reported on its own line, and a comment or blank line (skipped before any parsing) never takes
/// part in a record.
/// </remarks>
internal static class CsvRecords
{
    /// <summary>The separators a manifest may use, in the order they are looked for in its header.</summary>
    private static ReadOnlySpan<char> Separators => [',', ';', '\t'];

    /// <summary>
    /// Reads every record of <paramref name="text"/>, with its 1-based line. Blank lines, lines whose first character
    /// other than a space is <c>#</c>, and records whose every field is empty (a spreadsheet's empty row) are skipped.
    /// Spaces around a field are trimmed, outside its quotes.
    /// </summary>
    /// <param name="text">The file's text.</param>
    /// <param name="name">The file's name, for messages.</param>
    /// <exception cref="CliException">A field's quotes are malformed; the message names the line and the field and says how to write it.</exception>
    public static IEnumerable<(int Line, string[] Fields)> Read(string text, string name)
    {
        string? badField = null;
        CsvConfiguration? configuration = null;
        using var lines = new StringReader(text);
        var number = 0;
        while (lines.ReadLine() is { } line)
        {
            number++;
            var content = line.Trim();
            if (content.Length == 0 || content[0] == '#')
            {
                continue;
            }

            if (configuration is null)
            {
                // The first line read is the header: the first separator in it is the file's (a comma if it has none).
                var separator = content.AsSpan().IndexOfAny(Separators) is var at and >= 0 ? content[at] : ',';
                configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
                {
                    Delimiter = separator.ToString(),
                    TrimOptions = TrimOptions.Trim,
                    WhiteSpaceChars = separator == '\t' ? [' '] : [' ', '\t'],
                    BadDataFound = args => badField = args.Field,
                };
            }

            using var parser = new CsvParser(new StringReader(line), configuration);
            parser.Read();
            var fields = new string[parser.Count];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = parser[i];
                if (badField is { } bad)
                {
                    throw Malformed(name, number, i + 1, bad.Trim());
                }
            }

            // A quote left open takes the rest of the line into the last field, and one that ends in a doubled quote
            // ("…"") looks closed to the parser at the line's end: an odd count of quotes gives it away.
            if (OddQuotes(line))
            {
                throw Malformed(name, number, fields.Length, "\"");
            }

            if (fields.Any(f => f.Length > 0))
            {
                yield return (number, fields);
            }
        }
    }

    /// <summary>A field whose quotes are malformed: where, what (told from its <paramref name="raw"/> text) and how to write it.</summary>
    private static CliException Malformed(string name, int line, int field, string raw) =>
        new($"{name} line {line}: field {field} {Problem(raw)} Quote the whole field (\"…\"), and double a quote inside it (\"\").");

    private static string Problem(string field) =>
        !field.StartsWith('"') ? "has a quote (\") inside a field that is not quoted."
        : OddQuotes(field) ? "opens a quote (\") that the line never closes."
        : "has text after its closing quote.";

    /// <summary>Whether a quote is left open: quotes come in pairs in a well-formed field or line ("" included).</summary>
    private static bool OddQuotes(string text) => text.Count(c => c == '"') % 2 == 1;
}
