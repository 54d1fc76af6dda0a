using System.Net;
using AliTryOn.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AliTryOn.Tests.Images;

/// <summary>The image settings from configuration and code, and the image host from dependency injection.</summary>
public sealed class ImageSettingsTests
{
    [Fact]
    public void The_image_settings_are_read_from_configuration()
    {
        var options = Resolve(new()
        {
            ["AliTryOn:Images:UrlLifetime"] = "02:00:00",
            ["AliTryOn:Images:Cleanup"] = "keep",
            ["AliTryOn:Images:MaxBytes"] = "2000000",
            ["AliTryOn:Images:CheckUrls"] = "true",
            ["AliTryOn:Images:PublishTimeout"] = "00:00:45",
        });

        Assert.Equal((TimeSpan.FromHours(2), TryOnImageCleanup.Keep, 2_000_000L, true, TimeSpan.FromSeconds(45)), (options.Images.UrlLifetime, options.Images.Cleanup, options.Images.MaxBytes, options.Images.CheckUrls, options.Images.PublishTimeout));
        Assert.Contains("Images = { UrlLifetime = 02:00:00, Cleanup = Keep, MaxBytes = 2000000, CheckUrls = True, PublishTimeout = 00:00:45 }, ImageHost = (not set)", options.ToString(), StringComparison.Ordinal);
        Assert.Equal(System.Threading.Timeout.InfiniteTimeSpan, Resolve(new() { ["AliTryOn:Images:PublishTimeout"] = "infinite" }).Images.PublishTimeout);
    }

    [Theory]
    [InlineData("AliTryOn:Images:UrlLifetime", "00:00:30", "Configuration key 'AliTryOn:Images:UrlLifetime' (environment variable AliTryOn__Images__UrlLifetime) must be from 1 minute to 7 days")]
    [InlineData("AliTryOn:Images:UrlLifetime", "00:05:00", "'AliTryOn:Images:UrlLifetime' (environment variable AliTryOn__Images__UrlLifetime) must be at least Polling:Timeout")]
    [InlineData("AliTryOn:Images:MaxBytes", "0", "'AliTryOn:Images:MaxBytes' (environment variable AliTryOn__Images__MaxBytes) must be from 1 to 104857600 (100 MiB)")]
    [InlineData("AliTryOn:Images:Cleanup", "2", "'AliTryOn:Images:Cleanup' (environment variable AliTryOn__Images__Cleanup) has the value '2', which is not DeleteAfterCompletion or Keep")]
    [InlineData("AliTryOn:Images:PublishTimeout", "-00:00:01", "'AliTryOn:Images:PublishTimeout' (environment variable AliTryOn__Images__PublishTimeout) must be positive and at most 24 days")]
    public void An_image_setting_out_of_range_is_refused_naming_its_key(string key, string value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_in_code_with_a_url_lifetime_shorter_than_the_wait_are_refused_by_the_constructor()
    {
        var error = Assert.Throws<ArgumentException>(() => new TryOnClient(TestOptions.Create(o => o.Images.UrlLifetime = TimeSpan.FromMinutes(2))));

        Assert.Contains("Images.UrlLifetime must be at least Polling.Timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_registered_with_dependency_injection_publishes_for_the_client_and_a_keyed_one_for_its_named_client()
    {
        var shared = new RecordingImageHost();
        var own = new RecordingImageHost();
        var services = new ServiceCollection();
        services.AddSingleton<TryOnImageHost>(shared);
        services.AddKeyedSingleton<TryOnImageHost>("catalog", own);
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("rk", "WAITING"));
        services.AddTryOnClient(o => { o.Endpoint = new Uri(TestOptions.Endpoint); o.AppCode = TestOptions.AppCode; }).ConfigurePrimaryHttpMessageHandler(() => transport);
        services.AddTryOnClient("catalog", o => { o.Endpoint = new Uri(TestOptions.Endpoint); o.AppCode = TestOptions.AppCode; }).ConfigurePrimaryHttpMessageHandler(() => transport);
        services.AddTryOnClient("other", o => { o.Endpoint = new Uri(TestOptions.Endpoint); o.AppCode = TestOptions.AppCode; }).ConfigurePrimaryHttpMessageHandler(() => transport);
        await using var provider = services.BuildServiceProvider();
        var task = new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png"), new GarmentImage(new Uri("https://img.example.test/a.jpg"), GarmentKind.FlatLay));

        await provider.GetRequiredService<TryOnClient>().SubmitAsync(task);
        await provider.GetRequiredKeyedService<TryOnClient>("catalog").SubmitAsync(task);
        await provider.GetRequiredKeyedService<TryOnClient>("other").SubmitAsync(task);

        Assert.Equal(2, shared.Uploads.Count); // the default client and "other", which has no host of its own
        Assert.Single(own.Uploads);
    }

    [Fact]
    public async Task A_job_submitted_by_one_transient_client_has_its_images_deleted_by_the_one_that_sees_it_finish()
    {
        var host = new RecordingImageHost();
        var services = new ServiceCollection();
        services.AddSingleton<TryOnImageHost>(host);
        var transport = Answers.InOrder(TimeProvider.System, Answers.Job("rk-9", "WAITING"), Answers.Job("rk-9", "SUCCESS"));
        services.AddTryOnClient(o => { o.Endpoint = new Uri(TestOptions.Endpoint); o.AppCode = TestOptions.AppCode; }).ConfigurePrimaryHttpMessageHandler(() => transport);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<TryOnClient>().SubmitAsync(new TryOnTask(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png"), new GarmentImage(new Uri("https://img.example.test/a.jpg"), GarmentKind.FlatLay)));
        await provider.GetRequiredService<TryOnClient>().QueryAsync("rk-9");

        Assert.Equal([host.Uploads.Single().Key], host.Deleted);
    }

    private static TryOnClientOptions Resolve(Dictionary<string, string?> settings)
    {
        settings["AliTryOn:Endpoint"] = TestOptions.Endpoint;
        settings["AliTryOn:AppCode"] = TestOptions.AppCode;
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddTryOnClient();
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<TryOnClient>();
        return provider.GetRequiredService<IOptionsMonitor<TryOnClientOptions>>().Get(Options.DefaultName);
    }
}
