using System.Text.Json;
using AliTryOn.Testing;

namespace AliTryOn.S3.Tests.TestSupport;

/// <summary>
/// The in-memory emulator with jobs of a second or less, on the system clock (the presigned URLs are checked by a real
/// server's real clock, so the images' expiry must be real time too), fetching every submitted image over HTTP with no
/// credential and checking its bytes, as the service does.
/// </summary>
internal static class FastEmulator
{
    public static TryOnEmulator Create(string? appCode = null)
    {
        var options = new TryOnEmulatorOptions
        {
            QueueTime = TimeSpan.FromMilliseconds(200),
            FastDuration = TimeSpan.FromMilliseconds(400),
            QualityDuration = TimeSpan.FromMilliseconds(800),
            FetchImages = true,
        };
        if (appCode is not null)
        {
            options.AppCodes.Clear();
            options.AppCodes.Add(appCode);
        }

        return new TryOnEmulator(options);
    }

    /// <summary>Options of a client of <paramref name="emulator"/> that publishes through <paramref name="host"/> and polls every 100 ms.</summary>
    public static TryOnClientOptions ClientOptions(TryOnEmulator emulator, TryOnImageHost? host)
    {
        var options = emulator.CreateClientOptions();
        options.ImageHost = host;
        options.Polling.InitialDelay = TimeSpan.FromMilliseconds(100);
        return options;
    }

    /// <summary>A task whose model and garment images are local bytes: <paramref name="model"/>, and a new PNG unless given.</summary>
    public static TryOnTask TaskWith(byte[] model, byte[]? garment = null) =>
        new(TryOnImage.FromBytes(model, "image/png"), Upper: new GarmentImage(TryOnImage.FromBytes(garment ?? Pngs.Next(), "image/png"), GarmentKind.FlatLay));

    /// <summary>Every image URL the emulator received in submits, in order.</summary>
    public static IReadOnlyList<Uri> SubmittedImageUrls(TryOnEmulator emulator)
    {
        var urls = new List<Uri>();
        foreach (var request in emulator.Requests.Where(static r => r.Operation == TryOnEmulatorOperation.Submit && r.Body is not null))
        {
            using var body = JsonDocument.Parse(request.Body!);
            Collect(body.RootElement, urls);
        }

        return urls;
    }

    private static void Collect(JsonElement element, List<Uri> urls)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Collect(property.Value, urls);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, urls);
                }

                break;
            case JsonValueKind.String when Uri.TryCreate(element.GetString(), UriKind.Absolute, out var url) && url.Scheme.StartsWith("http", StringComparison.Ordinal):
                urls.Add(url);
                break;
        }
    }
}
