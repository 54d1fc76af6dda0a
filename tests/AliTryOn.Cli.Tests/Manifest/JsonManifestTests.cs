using System.Text;
using AliTryOn.Cli.Hosting;
using AliTryOn.Cli.Manifest;
using AliTryOn.Cli.Tests.TestSupport;

namespace AliTryOn.Cli.Tests.Manifest;

/// <summary>How a JSON manifest is read: the names of a CSV manifest's columns, by the same rules, and the encodings of a CSV one.</summary>
public sealed class JsonManifestTests : IDisposable
{
    private const string Model = "https://example.com/m.jpg";
    private const string Shirt = "https://example.com/s.jpg";
    private const string Jeans = "https://example.com/j.jpg";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_misspelled_property_is_a_row_error_naming_it_the_item_and_the_names()
    {
        var content = await ReadAsync($$"""
            [
              { "id": "ok", "model": "{{Model}}", "upper": "{{Shirt}}" },
              { "id": "a", "model": "{{Model}}", "upper": "{{Shirt}}", "lowre": "{{Jeans}}" }
            ]
            """);

        Assert.Equal("ok", Assert.Single(content.Entries).Id);
        var error = Assert.Single(content.Errors);
        Assert.Equal((2, "a"), (error.Row, error.Id));
        Assert.Contains("manifest.json item 2: unknown property 'lowre'; the names are id, model, upper, lower, full_body, mode, kind", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sdks_name_for_the_full_body_garment_is_refused_with_the_manifests_name()
    {
        var content = await ReadAsync($$"""[ { "model": "{{Model}}", "upper": "{{Shirt}}", "fullBody": "{{Jeans}}" } ]""");

        Assert.Empty(content.Entries);
        Assert.Contains("manifest.json item 1: unknown property 'fullBody'; did you mean 'full_body'?", Assert.Single(content.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Property_names_match_whatever_their_case_as_column_names_do()
    {
        var content = await ReadAsync($$"""[ { "ID": "a", "Model": "{{Model}}", "UPPER": "{{Shirt}}", "Full_Body": "{{Jeans}}", "Mode": "quality" } ]""");

        Assert.Empty(content.Errors);
        var entry = Assert.Single(content.Entries);
        Assert.Equal(("a", Model, Shirt, Jeans, InferenceMode.Quality), (entry.Id, entry.Written.ModelImage, entry.Written.Upper!.Image, entry.Written.FullBody!.Image, entry.Written.InferenceMode));
    }

    [Theory]
    [InlineData("upper", "upper")]
    [InlineData("upper", "Upper")]
    public async Task A_property_given_twice_is_a_row_error_naming_it(string first, string second)
    {
        var content = await ReadAsync($$"""[ { "model": "{{Model}}", "{{first}}": "{{Shirt}}", "{{second}}": "{{Jeans}}" } ]""");

        Assert.Empty(content.Entries);
        Assert.Contains("manifest.json item 1: the property 'upper' is given twice", Assert.Single(content.Errors).Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> Encodings => ["utf-8-bom", "utf-16le", "utf-16be"];

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task A_file_with_a_byte_order_mark_is_read_as_a_csv_one_is(string encoding)
    {
        var path = _folder.File("manifest.json");
        Encoding writer = encoding switch
        {
            "utf-8-bom" => new UTF8Encoding(encoderShouldEmitUTF8Identifier: true),
            "utf-16le" => new UnicodeEncoding(bigEndian: false, byteOrderMark: true),
            _ => new UnicodeEncoding(bigEndian: true, byteOrderMark: true),
        };
        File.WriteAllText(path, $$"""[ { "id": "café", "model": "{{Model}}", "upper": "{{Shirt}}" } ]""", writer);
        Assert.NotEqual((byte)'[', File.ReadAllBytes(path)[0]);

        var content = await ManifestReader.ReadAsync(path, CancellationToken.None);

        Assert.Empty(content.Errors);
        Assert.Equal("café", Assert.Single(content.Entries).Id);
    }

    [Fact]
    public async Task A_file_that_is_not_utf8_is_refused_naming_the_line()
    {
        var path = _folder.File("manifest.json");
        File.WriteAllBytes(path, [.. Encoding.ASCII.GetBytes($"[\n  {{ \"model\": \"https://example.com/caf"), 0xE9, .. Encoding.ASCII.GetBytes($".jpg\", \"upper\": \"{Shirt}\" }}\n]")]);

        var error = await Assert.ThrowsAsync<CliException>(() => ManifestReader.ReadAsync(path, CancellationToken.None));

        Assert.Contains("manifest.json line 2 is not UTF-8 text", error.Message, StringComparison.Ordinal);
    }

    private Task<ManifestContent> ReadAsync(string text)
    {
        var path = _folder.File("manifest.json");
        File.WriteAllText(path, text);
        return ManifestReader.ReadAsync(path, CancellationToken.None);
    }
}
