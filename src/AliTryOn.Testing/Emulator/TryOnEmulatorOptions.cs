using System;
using System.Net.Http;
using System.Collections.Generic;

namespace AliTryOn.Testing;

/// <summary>Settings of a <see cref="TryOnEmulator"/>. Copied when the emulator is created.</summary>
public sealed class TryOnEmulatorOptions
{
    /// <summary>The AppCodes the emulator accepts. Default: one, <see cref="TryOnEmulator.DefaultAppCode"/>.</summary>
    public IList<string> AppCodes { get; } = [TryOnEmulator.DefaultAppCode];

    /// <summary>
    /// The AppKey/AppSecret pairs the emulator accepts in the gateway's signing mode, AppKey to AppSecret. Default: one,
    /// <see cref="TryOnEmulator.DefaultAppKey"/> with <see cref="TryOnEmulator.DefaultAppSecret"/>. Add pairs with
    /// <c>AppKeys["my-key"] = "my-secret"</c>; clear it to accept AppCodes only.
    /// </summary>
    public IDictionary<string, string> AppKeys { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [TryOnEmulator.DefaultAppKey] = TryOnEmulator.DefaultAppSecret,
    };

    /// <summary>
    /// The clock jobs run on, nonces expire on and latency faults wait on. Default: <see cref="TimeProvider.System"/>;
    /// pass a fake clock in tests to fast-forward jobs.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>How long a task stays <c>WAITING</c> after it is submitted. Default: 2 seconds.</summary>
    public TimeSpan QueueTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a fast-mode task stays <c>RUNNING</c>. Default: 8 seconds.</summary>
    public TimeSpan FastDuration { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>How long a quality-mode task stays <c>RUNNING</c>. Default: 20 seconds.</summary>
    public TimeSpan QualityDuration { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How many result images a successful task has. Default: 4, as in the service's example.</summary>
    public int ResultsPerTask { get; set; } = 4;

    /// <summary>How long a result URL stays valid after the query that returned it. Default: 1 hour.</summary>
    public TimeSpan ResultUrlLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Where result URLs point. Default: <see langword="null"/>: for the in-memory handler
    /// <see cref="TryOnEmulator.DefaultResultsAddress"/> (a host other than the API's, like real object storage);
    /// over HTTP, the <c>oss/</c> path beside the mapped API.
    /// </summary>
    public Uri? ResultsBaseAddress { get; set; }

    /// <summary>
    /// How long a nonce is remembered, so that its reuse is rejected, and how far a signed request's
    /// <c>X-Ca-Timestamp</c> may be from the emulator's clock (one window: a nonce need only be remembered as long as its
    /// timestamp is accepted). Default: 15 minutes, as the gateway does.
    /// </summary>
    public TimeSpan NonceWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Whether a submit fetches every image it names and applies the service's input rules to the real bytes, as the
    /// service does: an image that cannot be fetched (an error status, no answer within <see cref="ImageFetchTimeout"/>)
    /// fails the submit with HTTP 400, code 23500006; one that is not an image, is in a format the service does not take,
    /// or has a side outside 400 to 4096 px fails it with HTTP 400, code 23500007. Result cards then name each image
    /// received with its size (images of the emulator's own <see cref="TryOnEmulator.ImageHost"/> are named on cards
    /// either way). Images of its own host are read in memory;
    /// others over HTTP, with no credential. Default: <see langword="false"/> (URLs are taken as they are; the rules of
    /// <see cref="TryOnEmulator.Images"/> apply either way); the emulator server turns it on.
    /// </summary>
    public bool FetchImages { get; set; }

    /// <summary>How long the emulator waits for an image it fetches. Default: 10 seconds.</summary>
    public TimeSpan ImageFetchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The transport images are fetched over when <see cref="FetchImages"/> is on; <see langword="null"/> for the
    /// network. Set it to serve test images from memory. The emulator does not dispose it.
    /// </summary>
    public HttpMessageHandler? ImageFetchHandler { get; set; }

    /// <summary>Seed of the random source of probabilistic faults, for reproducible runs. Default: <see langword="null"/> (random).</summary>
    public int? RandomSeed { get; set; }
}
