using Spectre.Console;
using Spectre.Console.Rendering;

namespace AliTryOn.Cli.Output;

/// <summary>
/// A table for a person, laid out by Spectre.Console: columns as wide as a terminal shows their widest cell (a CJK
/// character takes two), two spaces apart, no borders or colours; the last column as long as it is, never wrapped, so
/// that each row stays one line to read or grep.
/// </summary>
internal static class TextTable
{
    /// <summary>Wide enough that no row is ever wrapped; Spectre lays out to a console's width.</summary>
    private const int Width = 1 << 16;

    public static void Write(CliOutput output, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var table = new Table { Border = TableBorder.None, ShowHeaders = true };
        for (var column = 0; column < headers.Count; column++)
        {
            // Text, not markup: a message with [brackets] is shown as it is.
            table.AddColumn(new TableColumn(new Text(headers[column])) { Padding = new Padding(0, 0, column == headers.Count - 1 ? 0 : 2, 0), NoWrap = true });
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell)));
        }

        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = Width;
        console.Write(table);
        foreach (var line in writer.ToString().Split('\n'))
        {
            if (line.TrimEnd() is { Length: > 0 } text)
            {
                output.Line(text);
            }
        }
    }
}
