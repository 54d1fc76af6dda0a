using AliTryOn.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AliTryOn.Samples.Console;

/// <summary>The try-on client: for the configured service, or for the emulator.</summary>
internal sealed class Connection(TryOnClient client, ServiceProvider? provider) : IAsyncDisposable
{
    public TryOnClient Client { get; } = client;

    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is missing or invalid; the message names its key.</exception>
    public static Connection Open(IConfiguration configuration, TimeProvider timeProvider, TextWriter output)
    {
        if (string.IsNullOrWhiteSpace(configuration["AliTryOn:AppCode"]))
        {
            // No AppCode: run everything against the emulator, in memory. Short durations keep the demo quick.
            var emulator = new TryOnEmulator(new TryOnEmulatorOptions
            {
                TimeProvider = timeProvider,
                QueueTime = TimeSpan.FromSeconds(1),
                FastDuration = TimeSpan.FromSeconds(2),
                QualityDuration = TimeSpan.FromSeconds(4),
            });
            output.WriteLine("No AppCode configured: running against the built-in emulator (in memory, no credentials needed).");
            output.WriteLine("Set AliTryOn__Endpoint and AliTryOn__AppCode to call the real service or an emulator server.");
            var emulated = emulator.CreateClient(options =>
            {
                options.Polling.InitialDelay = TimeSpan.FromMilliseconds(500);
                options.Polling.MaxDelay = TimeSpan.FromSeconds(2);
            });
            return new Connection(emulated, provider: null);
        }

        // The same registration an ASP.NET Core app uses: binds every AliTryOn:* setting and checks them, so a bad
        // one (say, an http endpoint that is not loopback) is reported with its configuration key.
        var services = new ServiceCollection();
        services.AddSingleton(timeProvider);
        services.AddTryOnClient(configuration.GetSection("AliTryOn"));
        // Local photos (the sample's own model photo included) need an image host to reach the service: a bucket,
        // when AliTryOn:Images:S3 is configured (Alibaba Cloud OSS, AWS S3, MinIO). Without one, a local photo is
        // refused before anything is sent, with a message saying how to configure a host; URLs work either way.
        var bucket = configuration.GetSection(AliTryOn.S3.S3ImageHostOptions.SectionName);
        if (bucket.Exists())
        {
            services.AddTryOnS3ImageHost(bucket);
        }

        var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<TryOnClient>();
        output.WriteLine($"Calling {configuration["AliTryOn:Endpoint"]}.");
        return new Connection(client, provider);
    }

    /// <summary>The container owns the client it made; one made for the emulator holds nothing to release.</summary>
    public ValueTask DisposeAsync() => provider?.DisposeAsync() ?? ValueTask.CompletedTask;
}
