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

    [Fact]
    public async Task An_indented_comment_with_a_quote_in_it_is_skipped_alone()
    {
        var content = await ReadAsync($"id,model,upper\nr0,{Model},{Shirt}\n  # r1,\"old model\nr1,{Model},{Shirt}\nr2,{Model},{Shirt}\n");

        Assert.Equal(["r0", "r1", "r2"], content.Entries.Select(e => e.Id));
    }

    [Fact]
    public async Task Rows_of_empty_fields_and_nameless_empty_columns_as_spreadsheets_export_them_are_skipped()
    {
        var content = await ReadAsync($"id;model;upper;;\r\na;{Model};{Shirt};;\r\n;;;;\r\n\"\";\"\";\"\";\"\";\"\"\r\nb;{Model};{Shirt};;\r\n");

        Assert.Empty(content.Errors);
        Assert.Equal(["a", "b"], content.Entries.Select(e => e.Id));
        Assert.Equal([1, 2], content.Entries.Select(e => e.Row));
    }

    [Fact]
    public async Task A_value_under_a_column_without_a_name_is_refused_naming_it()
    {
        var error = await Assert.ThrowsAsync<CliException>(() => ReadAsync($"id,model,upper,\na,{Model},{Shirt},red"));

        Assert.Contains("manifest.csv line 2: field 4 has a value ('red') but its column has no name in the header", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "\n", 0)]
    [InlineData("\uFEFF", "\n", 0)] // with the byte order mark
    [InlineData("", "\r", 2)] // a spreadsheet's "CSV (Macintosh)": lines end in CR alone
    [InlineData("\uFEFF", "\r\n", 1)]
    public async Task A_file_that_is_not_utf8_is_refused_naming_the_line_instead_of_changing_its_text(string mark, string lineEnd, int comments)
    {
        var path = _folder.File("manifest.csv");
        var before = string.Concat(Enumerable.Repeat($"# a comment{lineEnd}", comments));
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes($"{mark}{before}id,model,upper{lineEnd}r1,https://example.com/caf"), 0xE9, .. Encoding.ASCII.GetBytes($".jpg,{Shirt}{lineEnd}")]);
        var line = comments + 2;

        var error = await Assert.ThrowsAsync<CliException>(() => ManifestReader.ReadAsync(path, CancellationToken.None));

        Assert.Contains($"manifest.csv line {line} is not UTF-8 text", error.Message, StringComparison.Ordinal);
        Assert.Contains("save the file as UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_utf16_file_with_its_byte_order_mark_as_spreadsheets_save_unicode_text_is_read()
    {
        var path = _folder.File("manifest.csv");
        File.WriteAllText(path, $"id\tmodel\tupper\r\ncafé\t{Model}\t{Shirt}\r\n", Encoding.Unicode);

        var content = await ManifestReader.ReadAsync(path, CancellationToken.None);

        Assert.Equal("café", Assert.Single(content.Entries).Id);
    }

    [Theory]
    [InlineData("model,upper\n\"https://example.com/m.jpg,https://example.com/s.jpg", "line 2: field 1 opens a quote (\") that the line never closes")]
    [InlineData("model,upper\n\"https://example.com/m.jpg,https://example.com/s.jpg\nhttps://example.com/m.jpg,https://example.com/s.jpg", "line 2: field 1 opens a quote (\") that the line never closes")]
    [InlineData("model,upper\nhttps://example.com/m.jpg,\"https://example.com/s.jpg\"x", "line 2: field 2 has text after its closing quote")]
    [InlineData("id,model,upper\nr1,\"x\n", "line 2: field 2 opens a quote")]
    [InlineData("id,model,upper\nr1,https://example.com/m.jpg,\"https://example.com/s.jpg\"\"\nr2,https://example.com/m.jpg,https://example.com/s.jpg", "line 2: field 3 opens a quote")]
    [InlineData("# c\n\nid,model,upper\n\n# c\nr1,\"https://example.com/m.jpg,https://example.com/s.jpg\nr9,https://example.com/m.jpg,https://example.com/s.jpg", "line 6: field 2 opens a quote")]
    [InlineData("model,upper\nhttps://example.com/m.jpg,a\"b\"c", "line 2: field 2 has a quote (\") inside a field that is not quoted")]
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

    [Theory]
    [InlineData("model,upper,upper", "manifest.csv line 1: the column 'upper' is given twice (fields 2 and 3)")]
    [InlineData("model,upper,Upper", "manifest.csv line 1: the column 'upper' is given twice (fields 2 and 3: 'upper' and 'Upper')")]
    [InlineData("# looks\nMODEL;lower;Model", "manifest.csv line 2: the column 'model' is given twice (fields 1 and 3: 'MODEL' and 'Model')")]
    public async Task A_column_given_twice_is_refused_naming_it_and_the_line(string header, string message)
    {
        var error = await Assert.ThrowsAsync<CliException>(() => ReadAsync($"{header}\n{Model},{Shirt},https://example.com/j.jpg"));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("each column may appear once", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fullBody")]
    [InlineData("Full-Body")]
    [InlineData("full body")]
    public async Task A_column_named_in_another_style_is_refused_with_the_name_to_use(string column)
    {
        var error = await Assert.ThrowsAsync<CliException>(() => ReadAsync($"model,{column}\n{Model},{Shirt}"));

        Assert.Contains($"manifest.csv line 1: unknown column '{column.ToLowerInvariant()}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'full_body'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_id_whose_image_files_fit_the_file_systems_name_limit_is_read()
    {
        var content = await ReadAsync($"id,model,upper\n{new string('b', 240)},{Model},{Shirt}\n{string.Concat(Enumerable.Repeat("é", 120))},{Model},{Shirt}");

        Assert.Empty(content.Errors);
        Assert.Equal(2, content.Entries.Count);
    }

    [Theory]
    [InlineData(241, 0, 241)]
    [InlineData(0, 121, 242)] // two bytes a letter in UTF-8
    [InlineData(239, 1, 241)]
    public async Task An_id_too_long_for_its_image_files_names_is_a_row_error_naming_the_limit(int ascii, int accented, int bytes)
    {
        var id = new string('b', ascii) + string.Concat(Enumerable.Repeat("é", accented));

        var content = await ReadAsync($"id,model,upper\nok,{Model},{Shirt}\n {id} ,{Model},{Shirt}");

        Assert.Equal("ok", Assert.Single(content.Entries).Id);
        var error = Assert.Single(content.Errors);
        Assert.Equal(2, error.Row);
        Assert.Contains($"manifest.csv line 3: id is {bytes} bytes in UTF-8", error.Message, StringComparison.Ordinal);
        Assert.Contains("255 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("at most 240 bytes", error.Message, StringComparison.Ordinal);
    }

    private Task<ManifestContent> ReadAsync(string text)
    {
        var path = _folder.File("manifest.csv");
        File.WriteAllText(path, text);
        return ManifestReader.ReadAsync(path, CancellationToken.None);
    }
}
