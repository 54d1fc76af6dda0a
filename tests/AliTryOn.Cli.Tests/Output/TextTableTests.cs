using AliTryOn.Cli.Hosting;
using AliTryOn.Cli.Output;

namespace AliTryOn.Cli.Tests.Output;

public sealed class TextTableTests
{
    [Fact]
    public void Columns_line_up_on_a_terminal_with_wide_characters_and_text_that_looks_like_markup()
    {
        var text = Write(
            ["ROW", "ID", "PROBLEM"],
            [["1", "连衣裙-红", "[red] model.png is 380 × 512 px"], ["12", "dress", "gone.png cannot be read"]]);

        // Each CJK character takes two columns of a terminal: the third column starts at the same place on every line.
        Assert.Equal(
            [
                "ROW  ID         PROBLEM",
                "1    连衣裙-红  [red] model.png is 380 × 512 px",
                "12   dress      gone.png cannot be read",
            ],
            text);
    }

    [Fact]
    public void A_long_last_column_is_never_wrapped()
    {
        var problem = new string('x', 300);

        Assert.Equal(["A  B", "1  " + problem], Write(["A", "B"], [["1", problem]]));
    }

    private static string[] Write(string[] headers, string[][] rows)
    {
        var writer = new StringWriter();
        var context = new CliContext { Out = writer, Error = TextWriter.Null, Environment = new Dictionary<string, string>() };
        TextTable.Write(new CliOutput(context, json: false), headers, rows);
        return writer.ToString().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
    }
}
