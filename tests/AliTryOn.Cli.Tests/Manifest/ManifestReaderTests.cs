using System.Text;
using AliTryOn.Cli.Hosting;
using AliTryOn.Cli.Manifest;
using AliTryOn.Cli.Tests.TestSupport;

namespace AliTryOn.Cli.Tests.Manifest;

/// <summary>How a CSV manifest is read: the files spreadsheets and scripts write, and the lines they get wrong.</summary>
public sealed class ManifestReaderTests : IDisposable
{
    private const string Model = "https://example.com/m.jpg";
    private const string Shirt = "https://example.com/s.jpg";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(',')]
    [InlineData(';')] // what a spreadsheet writes where the comma is the decimal sign
    [InlineData('\t')]
    public async Task Rows_separated_by_a_comma_a_semicolon_or_a_tab_are_read_alike(char separator)
    {
        var content = await ReadAsync(string.Join('\n', [
            string.Join(separator, "id", "model", "upper", "mode"),
            string.Join(separator, "a", Model, Shirt, "quality"),
            string.Join(separator, "b", Model, Shirt, ""),
        ]));

        Assert.Empty(content.Errors);
        Assert.Equal(["a", "b"], content.Entries.Select(e => e.Id));
        Assert.Equal([Model, Model], content.Entries.Select(e => e.Written.ModelImage));
        Assert.Equal([Shirt, Shirt], content.Entries.Select(e => e.Written.Upper!.Image));
        Assert.Equal([InferenceMode.Quality, InferenceMode.Fast], content.Entries.Select(e => e.Written.InferenceMode));
    }

    [Fact]
    public async Task A_spreadsheets_file_with_a_byte_order_mark_crlf_line_ends_and_quoted_fields_is_read_as_written()
    {
        var path = _folder.File("excel.csv");
        File.WriteAllText(path, $"\uFEFFid;model;upper\r\n\"a;1\";\"{Model}\";  \"{Shirt}\"  \r\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

        var content = await ManifestReader.ReadAsync(path, CancellationToken.None);

        Assert.Empty(content.Errors);
        var entry = Assert.Single(content.Entries);
        Assert.Equal(("a;1", Model, Shirt), (entry.Id, entry.Written.ModelImage, entry.Written.Upper!.Image));
    }

    [Fact]
    public async Task A_quote_inside_a_quoted_field_is_written_doubled()
    {
        var content = await ReadAsync($"model,upper\n\"https://example.com/say \"\"hi\"\".jpg\",{Shirt}");

        Assert.Equal("https://example.com/say \"hi\".jpg", Assert.Single(content.Entries).Written.ModelImage);
    }

    [Fact]
    public async Task Comments_and_blank_lines_are_skipped_and_later_lines_keep_their_numbers()
    {
        var content = await ReadAsync($"# a manifest, by \"someone\"\n\n  # indented; with a quote \"\nmodel,upper\n   \n{Model},{Shirt}\n\t\nhttps://example.com/m2.jpg,\n");

        Assert.Equal(Model, Assert.Single(content.Entries).Written.ModelImage);
        var error = Assert.Single(content.Errors);
        Assert.Equal(2, error.Row);
        Assert.Contains("manifest.csv line 8: no garment", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model,upper\n\"https://example.com/m.jpg,https://example.com/s.jpg", "line 2: field 1 opens a quote (\") that the line never closes")]
    [InlineData("model,upper\n\"https://example.com/m.jpg,https://example.com/s.jpg\nhttps://example.com/m.jpg,https://example.com/s.jpg", "line 2: field 1 opens a quote (\") that the line never closes")]
    [InlineData("model,upper\nhttps://example.com/m.jpg,\"https://example.com/s.jpg\"x", "line 2: field 2 has text after its closing quote")]
    [InlineData("# notes\n\nmodel,upper\nhttps://example.com/m.jpg,https://example.com/s.jpg\nhttps://example.com/m.jpg,\"https://example.com/s.jpg", "line 5: field 2 opens a quote")]
    [InlineData("id,model,upper,lower\nx,https://example.com/m.jpg,https://example.com/s.jpg", "line 2: 3 fields but the header has 4 columns")]
    [InlineData("id,model,upper\nx,https://example.com/m.jpg,https://example.com/s.jpg,extra", "line 2: 4 fields but the header has 3 columns")]
    [InlineData("model,upper\nhttps://example.com/m.jpg;https://example.com/s.jpg", "line 2: 1 field but the header has 2 columns")]
    [InlineData("model;upper\nhttps://example.com/m.jpg,https://example.com/s.jpg", "line 2: 1 field but the header has 2 columns")]
    [InlineData("model|upper\nhttps://example.com/m.jpg|https://example.com/s.jpg", "line 1: unknown column 'model|upper'")]
    public async Task A_malformed_line_stops_the_read_naming_the_line_and_the_field(string text, string message)
    {
        var error = await Assert.ThrowsAsync<CliException>(() => ReadAsync(text));

        Assert.Contains($"manifest.csv {message}", error.Message, StringComparison.Ordinal);
    }

    private Task<ManifestContent> ReadAsync(string text)
    {
        var path = _folder.File("manifest.csv");
        File.WriteAllText(path, text);
        return ManifestReader.ReadAsync(path, CancellationToken.None);
    }
}
