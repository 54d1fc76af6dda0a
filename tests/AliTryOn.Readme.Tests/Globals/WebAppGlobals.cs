#pragma warning disable IDE1006, SA1300 // Named as the README's snippets name them.
namespace AliTryOn.Readme.Tests.Globals;

/// <summary>
/// What a snippet in <c>Program.cs</c> sees: <c>builder</c>, and <c>app</c>, built from it the first time the snippet
/// uses it (after its service registrations, as in a real Program.cs).
/// </summary>
public sealed class WebAppGlobals(WebApplicationBuilder builder)
{
    private WebApplication? _app;

    public WebApplicationBuilder builder { get; } = builder;

    public WebApplication app => _app ??= builder.Build();

    /// <summary>The app, built now if the snippet did not need it.</summary>
    public WebApplication Build() => app;
}
