namespace AliTryOn.Readme.Tests.Support;

/// <summary>A fresh working folder for a recipe that writes files where it runs, restored and deleted afterwards.</summary>
internal sealed class ScopedFolder : IDisposable
{
    private readonly string _previous = Directory.GetCurrentDirectory();

    public ScopedFolder()
    {
        Path = Directory.CreateTempSubdirectory("alitryon-readme-").FullName;
        Directory.SetCurrentDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        Directory.SetCurrentDirectory(_previous);
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
