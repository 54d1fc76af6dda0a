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
