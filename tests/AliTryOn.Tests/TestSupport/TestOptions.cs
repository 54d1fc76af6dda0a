
namespace AliTryOn.Tests.TestSupport;

/// <summary>Options and inputs the tests share.</summary>
internal static class TestOptions
{
    /// <summary>A sentinel AppCode: any test can scan output for it.</summary>
    public const string AppCode = "SENTINEL-appcode-7f3a9c2e51";

    /// <summary>An AppKey of the signing mode: an identifier, shown by ToString and in the gateway's messages.</summary>
    public const string AppKey = "test-appkey-204518";

    /// <summary>A sentinel AppSecret: any test can scan output for it.</summary>
    public const string AppSecret = "SENTINEL-appsecret-4c1d8e77a0";

    public const string Endpoint = "https://tryon.example.test";
    public const string SubmitUrl = Endpoint + "/api/v2/tryon/submit";
    public const string QueryUrl = Endpoint + "/api/v2/tryon/query";

    public static TryOnClientOptions Create(Action<TryOnClientOptions>? configure = null)
    {
        var options = new TryOnClientOptions { Endpoint = new Uri(Endpoint), AppCode = AppCode };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Options of the AppKey/AppSecret signing mode (no AppCode).</summary>
    public static TryOnClientOptions CreateSigned(Action<TryOnClientOptions>? configure = null) => Create(o =>
    {
        o.AppCode = null;
        o.AppKey = AppKey;
        o.AppSecret = AppSecret;
        configure?.Invoke(o);
    });

    public static TryOnTask Task(int seed = 0) => new(
        new Uri($"https://img.example.test/model-{seed}.png"),
        Upper: new GarmentImage(new Uri($"https://img.example.test/top-{seed}.png"), GarmentKind.FlatLay));
}
