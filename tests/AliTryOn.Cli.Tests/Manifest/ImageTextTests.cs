using AliTryOn.Cli.Manifest;

namespace AliTryOn.Cli.Tests.Manifest;

/// <summary>What an image cell names: on Linux and macOS a path is read as the system reads it, not as a Windows form.</summary>
public sealed class ImageTextTests
{
    private const string Folder = "/srv/looks";

    [Theory]
    [InlineData("//tmp/ra/abs/a.png", "/tmp/ra/abs/a.png")] // two slashes: still the root's tmp folder, not a UNC share
    [InlineData("/tmp/a.png", "/tmp/a.png")]
    [InlineData("C:/x.png", "/srv/looks/C:/x.png")] // a drive letter is a relative path's first folder here
    [InlineData("c:x.png", "/srv/looks/c:x.png")]
    [InlineData(@"C:\x.png", @"/srv/looks/C:\x.png")]
    [InlineData("file:///tmp/x.png", "/tmp/x.png")]
    [InlineData("file://localhost/tmp/x.png", "/tmp/x.png")]
    [InlineData("file:///tmp/a%20b.png", "/tmp/a b.png")]
    [InlineData("photos/a.png", "/srv/looks/photos/a.png")]
    public void A_local_path_is_read_as_the_system_reads_it(string text, string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows forms are Windows paths there.
        }

        var image = Assert.IsType<FileImage>(ImageText.Parse(text, Folder, "looks.csv line 2: model"));

        Assert.Equal(path, image.Path);
    }

    [Fact]
    public void A_file_url_naming_another_host_is_refused_on_linux_and_macos()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // a UNC share there
        }

        var error = Assert.Throws<Hosting.CliException>(() => ImageText.Parse("file://server/share/x.png", Folder, "looks.csv line 2: model"));

        Assert.Contains("looks.csv line 2: model is a file:// URL of the host 'server'", error.Message, StringComparison.Ordinal);
    }
}
