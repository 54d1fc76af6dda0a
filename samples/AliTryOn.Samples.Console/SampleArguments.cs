using Microsoft.Extensions.Configuration;

namespace AliTryOn.Samples.Console;

/// <summary>What to try on: the default demo batch, or one task from the command line.</summary>
internal sealed record SampleArguments(TryOnImage Model, Uri? Upper, Uri? Lower, Uri? FullBody, InferenceMode? Mode, string OutputFolder)
{
    public const string Usage =
        "usage: AliTryOn.Samples.Console [--model <url or file>] [--upper <url>] [--lower <url>] [--full <url>] [--mode fast|quality] [--output <folder>] [--<configuration key>=<value>]";

    public static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--model"] = "Sample:Model",
        ["--upper"] = "Sample:Upper",
        ["--lower"] = "Sample:Lower",
        ["--full"] = "Sample:FullBody",
        ["--full-body"] = "Sample:FullBody", // the command-line tool's name for it
        ["--mode"] = "Sample:Mode",
        ["--output"] = "Sample:Output",
    };

    /// <summary>The photo of a person that ships with the sample: a local file, published through the client's image host.</summary>
    private static string DefaultModel => Path.Combine(AppContext.BaseDirectory, "images", "model-standing.png");

    private bool HasGarments => Upper is not null || Lower is not null || FullBody is not null;

    /// <summary>
    /// Refuses an option the sample does not know (<c>--uper</c>), which the configuration would take silently, submitting
    /// the demo batch instead of what was asked. A name with a colon is a configuration key (<c>--AliTryOn:AppCode=…</c>).
    /// </summary>
    /// <exception cref="ArgumentException">An option is not one of the sample's, naming it.</exception>
    public static void CheckOptions(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i].Split('=', 2)[0];
            if (!name.StartsWith('-') && !name.StartsWith('/'))
            {
                throw new ArgumentException($"'{args[i]}' is not an option: give each value after its option (--model <url or file>).");
            }

            if (!SwitchMappings.ContainsKey(name) && !name.Contains(':', StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{name}' is not an option of the sample.");
            }

            // The value follows, unless given with '='.
            i += args[i].Contains('=', StringComparison.Ordinal) ? 0 : 1;
        }
    }

    /// <exception cref="ArgumentException">A URL or the mode cannot be read.</exception>
    public static SampleArguments Read(IConfiguration configuration)
    {
        static Uri? Url(IConfiguration configuration, string key) => configuration[key] is { Length: > 0 } text
            ? Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : throw new ArgumentException($"'{text}' is not an absolute URL ({key}).")
            : null;

        InferenceMode? mode = configuration["Sample:Mode"]?.ToLowerInvariant() switch
        {
            null or "" => null,
            "fast" or "0" => InferenceMode.Fast,
            "quality" or "1" => InferenceMode.Quality,
            var other => throw new ArgumentException($"'{other}' is not a mode: use fast or quality."),
        };
        return new SampleArguments(
            Image(configuration["Sample:Model"]),
            Url(configuration, "Sample:Upper"),
            Url(configuration, "Sample:Lower"),
            Url(configuration, "Sample:FullBody"),
            mode,
            configuration["Sample:Output"] is { Length: > 0 } output ? output : "tryon-output");
    }

    /// <summary>The garments given on the command line as one task, or a batch showing every slot in both modes.</summary>
    /// <summary>An absolute http(s) URL is given to the service as it is; anything else is a local file.</summary>
    private static TryOnImage Image(string? text) => text is not { Length: > 0 }
        ? TryOnImage.FromFile(DefaultModel)
        : Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? TryOnImage.FromUrl(url)
            : TryOnImage.FromFile(text);

    public IReadOnlyList<TryOnTask> Tasks()
    {
        static GarmentImage Garment(string name, GarmentKind kind) => new(new Uri($"https://example.com/tryon/{name}"), kind);

        if (HasGarments)
        {
            return [new TryOnTask(Model, Wrap(Upper), Wrap(Lower), Wrap(FullBody), Mode ?? InferenceMode.Fast)];
        }

        return
        [
            new TryOnTask(Model, Upper: Garment("linen-shirt.jpg", GarmentKind.FlatLay), InferenceMode: Mode ?? InferenceMode.Fast),
            new TryOnTask(Model, Lower: Garment("blue-jeans.jpg", GarmentKind.WornByModel), InferenceMode: Mode ?? InferenceMode.Fast),
            new TryOnTask(Model, FullBody: Garment("summer-dress.jpg", GarmentKind.FlatLay), InferenceMode: Mode ?? InferenceMode.Quality),
            new TryOnTask(Model, Garment("knit-sweater.jpg", GarmentKind.WornByModel), Garment("pleated-skirt.jpg", GarmentKind.FlatLay), InferenceMode: Mode ?? InferenceMode.Quality),
        ];
    }

    // Photos given on the command line are taken as flat-lay product shots.
    private static GarmentImage? Wrap(Uri? url) => url is null ? null : new GarmentImage(url, GarmentKind.FlatLay);
}
