using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AliTryOn.Testing.Tests.DependencyInjection;

/// <summary>
/// A rotated credential reaches the emulator's gateway from the next call of a client resolved before the rotation:
/// the emulator knows some credentials and refuses the others, so what it accepts or refuses shows which one was sent.
/// The configuration reloads for real (an in-memory source set, then <see cref="IConfigurationRoot.Reload"/>).
/// </summary>
public sealed class ConfigurationReloadEmulatorTests
{
    private static readonly TryOnTask SampleTask = new(
        new Uri("https://img.test/model.png"),
        Upper: new GarmentImage(new Uri("https://img.test/top.png"), GarmentKind.FlatLay));

    [Fact]
    public async Task A_rotated_appcode_is_the_one_the_gateway_sees_on_the_next_call()
    {
        // A clock that stands still, so the job is still waiting when it is queried, however slow the machine.
        var emulator = new TryOnEmulator(new TryOnEmulatorOptions { AppCodes = { "code-next" }, TimeProvider = new FakeTimeProvider(DateTimeOffset.UtcNow) });
        var configuration = Configuration(("AliTryOn:AppCode", TryOnEmulator.DefaultAppCode));
        await using var provider = Provider(configuration, emulator);
        var client = provider.GetRequiredService<TryOnClient>();
        await client.SubmitAsync(SampleTask);

        Rotate(configuration, ("AliTryOn:AppCode", "code-the-gateway-does-not-know"));
        var refused = await Assert.ThrowsAsync<TryOnAuthenticationException>(() => client.SubmitAsync(SampleTask));
        Rotate(configuration, ("AliTryOn:AppCode", "code-next"));
        var accepted = await client.SubmitAsync(SampleTask);

        Assert.Equal(401, refused.Status);
        Assert.Equal(2, emulator.JobCount);
        Assert.Equal(TryOnTaskStatus.Waiting, (await client.QueryAsync(accepted.ResultKey)).Tasks[0].Status);
    }

    [Fact]
    public async Task A_rotated_appkey_and_appsecret_sign_the_next_call_the_gateway_checks()
    {
        var emulator = new TryOnEmulator(new TryOnEmulatorOptions { AppKeys = { ["key-next"] = "secret-next" } });
        var configuration = Configuration(("AliTryOn:AppKey", TryOnEmulator.DefaultAppKey), ("AliTryOn:AppSecret", TryOnEmulator.DefaultAppSecret));
        await using var provider = Provider(configuration, emulator);
        var client = provider.GetRequiredService<TryOnClient>();
        await client.SubmitAsync(SampleTask);

        Rotate(configuration, ("AliTryOn:AppKey", "key-next"), ("AliTryOn:AppSecret", "secret-of-another-key"));
        var refused = await Assert.ThrowsAsync<TryOnAuthenticationException>(() => client.SubmitAsync(SampleTask));
        Rotate(configuration, ("AliTryOn:AppSecret", "secret-next"));
        await client.SubmitAsync(SampleTask);

        Assert.StartsWith("Invalid Signature", refused.Details.GatewayErrorMessage, StringComparison.Ordinal);
        Assert.Equal(2, emulator.JobCount);
        Assert.Equal(
            [TryOnEmulator.DefaultAppKey, "key-next", "key-next"],
            emulator.Requests.Select(r => r.Headers["X-Ca-Key"]));
    }

    private static IConfigurationRoot Configuration(params (string Key, string? Value)[] settings)
    {
        var values = settings.ToDictionary(s => s.Key, s => s.Value);
        values["AliTryOn:Endpoint"] = TryOnEmulator.DefaultBaseAddress.AbsoluteUri;
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    private static ServiceProvider Provider(IConfigurationRoot configuration, TryOnEmulator emulator)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddTryOnClient().ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler);
        return services.BuildServiceProvider();
    }

    private static void Rotate(IConfigurationRoot configuration, params (string Key, string? Value)[] changes)
    {
        foreach (var (key, value) in changes)
        {
            configuration[key] = value;
        }

        configuration.Reload();
    }
}
