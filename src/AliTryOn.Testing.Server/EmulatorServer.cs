using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AliTryOn.Testing.Server;

/// <summary>
/// The try-on emulator as a standalone HTTP server, for any tool or language:
/// <c>dotnet run --project src/AliTryOn.Testing.Server -- --urls http://127.0.0.1:5080</c>.
/// </summary>
/// <remarks>
/// Settings come from the command line or environment, under <c>Emulator:</c>:
/// <c>--Emulator:AppCodes:0=my-code</c>, <c>--Emulator:AppKeys:my-key=my-secret</c> (AppKey/AppSecret pairs of the
/// signing mode, replacing the default pair), <c>--Emulator:QueueTime=00:00:01</c>, <c>--Emulator:FastDuration=00:00:05</c>,
/// <c>--Emulator:QualityDuration=00:00:10</c>, <c>--Emulator:ResultsPerTask=4</c>, <c>--Emulator:RandomSeed=1</c>,
/// <c>--Emulator:FetchImages=false</c> (on by default: every submitted image is fetched and checked, as the service does),
/// <c>--Emulator:ImageFetchTimeout=00:00:10</c>.
/// </remarks>
internal static class EmulatorServer
{
    /// <summary>Where the server listens unless <c>--urls</c> (or <c>ASPNETCORE_URLS</c>) says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Builds the server; <paramref name="configureServices"/> lets tests swap services such as the clock.</summary>
    public static WebApplication Create(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var settings = builder.Configuration.GetSection("Emulator");
        configureServices?.Invoke(builder.Services);
        builder.Services.AddTryOnEmulator(options => Apply(settings, options));

        var app = builder.Build();
        try
        {
            // Made now, not on the first request: bad settings stop the server before it listens, instead of leaving
            // it to answer every request with an empty 500 (which a client takes for a submit that may have billed).
            app.Services.GetRequiredService<TryOnEmulator>();
        }
        catch (ArgumentException invalid)
        {
            throw new InvalidOperationException($"The emulator's settings (section Emulator) are not valid: {invalid.Message}", invalid);
        }

        app.MapTryOnEmulator();
        app.Lifetime.ApplicationStarted.Register(() => Announce(app));
        return app;
    }

    /// <summary>The addresses the server listens on, with the real port when it was asked for port 0.</summary>
    public static IReadOnlyList<Uri> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.Select(a => new Uri(a)).ToArray() ?? [];

    private static void Apply(IConfiguration settings, TryOnEmulatorOptions options)
    {
        var appCodes = settings.GetSection("AppCodes").GetChildren().Select(c => c.Value).OfType<string>().ToArray();
        if (appCodes.Length > 0)
        {
            options.AppCodes.Clear();
            foreach (var code in appCodes)
            {
                options.AppCodes.Add(code);
            }
        }

        var appKeys = settings.GetSection("AppKeys").GetChildren().Where(static c => c.Value is not null).ToArray();
        if (appKeys.Length > 0)
        {
            options.AppKeys.Clear();
            foreach (var pair in appKeys)
            {
                options.AppKeys[pair.Key] = pair.Value!;
            }
        }

        // The settings of one value each, as they are read: with the lists above, every key of the section.
        var read = new List<string>();
        options.QueueTime = Read(settings, read, "QueueTime", options.QueueTime, TimeSpan.Parse);
        options.FastDuration = Read(settings, read, "FastDuration", options.FastDuration, TimeSpan.Parse);
        options.QualityDuration = Read(settings, read, "QualityDuration", options.QualityDuration, TimeSpan.Parse);
        options.ResultUrlLifetime = Read(settings, read, "ResultUrlLifetime", options.ResultUrlLifetime, TimeSpan.Parse);
        options.ResultsPerTask = Read(settings, read, "ResultsPerTask", options.ResultsPerTask, int.Parse);
        options.RandomSeed = Read<int?>(settings, read, "RandomSeed", options.RandomSeed, (text, culture) => int.Parse(text, culture));
        // As the service: the server fetches and checks every image it is given, unless told not to.
        options.FetchImages = Read(settings, read, "FetchImages", true, (text, _) => bool.Parse(text));
        options.ImageFetchTimeout = Read(settings, read, "ImageFetchTimeout", options.ImageFetchTimeout, TimeSpan.Parse);

        // A misspelt setting, read as nothing, would leave its default without a word.
        var failures = new List<string>();
        AliTryOn.DependencyInjection.UnknownSettings.Check(
            settings,
            ["AppCodes:0", "AppKeys:<AppKey>", .. read],
            skipped: ["Emulator:AppCodes", "Emulator:AppKeys"],
            secrets: [],
            static key => "Emulator:" + key,
            "the emulator server",
            failures);
        if (failures.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", failures));
        }
    }

    private static T Read<T>(IConfiguration settings, List<string> read, string key, T current, Func<string, IFormatProvider, T> parse)
    {
        read.Add(key);
        var text = settings[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return current;
        }

        try
        {
            return parse(text, CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is FormatException or OverflowException)
        {
            throw new InvalidOperationException($"Emulator:{key} has the value '{text}', which cannot be read as {typeof(T).Name}.", exception);
        }
    }

    private static void Announce(WebApplication app)
    {
        var emulator = app.Services.GetRequiredService<TryOnEmulator>();
        foreach (var address in Addresses(app))
        {
            app.Logger.LogInformation(
                "Try-on emulator listening on {Address}. Point a client at it with AliTryOn:Endpoint={Address} and AliTryOn:AppCode={AppCode}, or AliTryOn:AppKey={AppKey} and its AliTryOn:AppSecret.",
                address,
                address,
                emulator.AppCodes.Count > 0 ? emulator.AppCodes[0] : "(none)",
                emulator.AppKeys.Count > 0 ? emulator.AppKeys[0] : "(none)");
        }
    }
}
