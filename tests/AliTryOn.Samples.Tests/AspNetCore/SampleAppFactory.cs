extern alias AspNetCoreSample;

using AliTryOn.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AliTryOn.Samples.Tests.AspNetCore;

/// <summary>
/// The ASP.NET Core sample in its no-AppCode (emulator) mode, on a fake clock shared by the SDK, the emulator and
/// the app, so jobs and waits advance only when a test says so.
/// </summary>
public sealed class SampleAppFactory(IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? configureServices = null)
    : WebApplicationFactory<AspNetCoreSample::Program>
{
    public ObservedFakeTimeProvider Time { get; } = new();

    /// <summary>The app's emulator: script faults on it and read what it received.</summary>
    public TryOnEmulator Emulator => Services.GetRequiredService<TryOnEmulator>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Emulator mode whatever the machine has in its environment or user secrets.
        builder.UseSetting("AliTryOn:AppCode", string.Empty);

        // Each failure reaches the app as it is, so the tests see how the app maps it; the SDK's retries would wait
        // on the fake clock. A test that wants them back passes AliTryOn:Retry:MaxRetries (see SdkRetryTests).
        builder.UseSetting("AliTryOn:Retry:MaxRetries", "0");

        // OpenTelemetry stays on, without writing every span to the test output.
        builder.UseSetting("Telemetry:ConsoleExporter", "false");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            configureServices?.Invoke(services);
        });
    }
}
