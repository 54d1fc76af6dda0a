namespace AliTryOn.Cli.Output;

/// <summary>A table for a person: columns padded to their widest cell, two spaces apart, the last one as long as it is.</summary>
internal static class TextTable
{
    public static void Write(CliOutput output, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = headers.Select((header, column) => rows.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();
        string Line(IReadOnlyList<string> cells) =>
            string.Join("  ", cells.Select((cell, column) => column == cells.Count - 1 ? cell : cell.PadRight(widths[column]))).TrimEnd();

        output.Line(Line(headers));
        foreach (var row in rows)
        {
            output.Line(Line(row));
        }
    }
}
