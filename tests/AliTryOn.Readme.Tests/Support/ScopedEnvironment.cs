namespace AliTryOn.Readme.Tests.Support;

/// <summary>Sets environment variables for the length of a recipe, as a reader would before running it.</summary>
internal sealed class ScopedEnvironment : IDisposable
{
    private readonly Dictionary<string, string?> _previous = [];

    public ScopedEnvironment(params (string Name, string? Value)[] variables)
    {
        foreach (var (name, value) in variables)
        {
            _previous[name] = System.Environment.GetEnvironmentVariable(name);
            System.Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in _previous)
        {
            System.Environment.SetEnvironmentVariable(name, value);
        }
    }
}
