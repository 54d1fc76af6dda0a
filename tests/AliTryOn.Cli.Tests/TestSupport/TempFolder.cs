namespace AliTryOn.Cli.Tests.TestSupport;

/// <summary>A fresh folder under the system's temporary folder, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("alitryon-cli-tests-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes a grey PNG of <paramref name="width"/> × <paramref name="height"/> px at <paramref name="name"/> (folders created); another size gives other bytes.</summary>
    public string Png(string name, int width, int height)
    {
        var path = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, TestImages.Png(width, height));
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
