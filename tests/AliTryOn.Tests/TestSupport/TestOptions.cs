
namespace AliTryOn.Tests.TestSupport;

/// <summary>Options and inputs the tests share.</summary>
internal static class TestOptions
{
    /// <summary>A sentinel AppCode: any test can scan output for it.</summary>
    public const string AppCode = "SENTINEL-appcode-7f3a9c2e51";

    public const string Endpoint = "https://tryon.example.test";
    public const string SubmitUrl = Endpoint + "/api/v2/tryon/submit";
    public const string QueryUrl = Endpoint + "/api/v2/tryon/query";

    public static TryOnClientOptions Create(Action<TryOnClientOptions>? configure = null)
    {
        var options = new TryOnClientOptions { Endpoint = new Uri(Endpoint), AppCode = AppCode };
        configure?.Invoke(options);
        return options;
    }

    public static TryOnTask Task(int seed = 0) => new(
        new Uri($"https://img.example.test/model-{seed}.png"),
        Upper: new GarmentImage(new Uri($"https://img.example.test/top-{seed}.png"), GarmentKind.FlatLay));
}
