using System.Net;
using AliTryOn.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AliTryOn.Tests.DependencyInjection;

/// <summary>The AppKey/AppSecret signing mode through dependency injection: binding, the handler chosen, validation.</summary>
public class SigningRegistrationTests
{
    [Fact]
    public async Task AppKey_and_AppSecret_are_bound_from_configuration_and_every_request_is_signed_on_the_registered_clock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("k", "WAITING"));
        var services = Services(new()
        {
            ["AliTryOn:Endpoint"] = "https://configured.example.test",
            ["AliTryOn:AppKey"] = TestOptions.AppKey,
            ["AliTryOn:AppSecret"] = TestOptions.AppSecret,
        });
        services.AddSingleton<TimeProvider>(time);
        services.AddTryOnClient().ConfigurePrimaryHttpMessageHandler(() => transport);

        await using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptionsMonitor<TryOnClientOptions>>().Get(Options.DefaultName);
        await provider.GetRequiredService<TryOnClient>().QueryAsync("k");

        Assert.Equal(TestOptions.AppKey, options.AppKey);
        Assert.Equal(TestOptions.AppSecret, options.AppSecret);
        Assert.Null(options.AppCode);
        var request = transport.Requests.Single();
        Assert.Empty(request.Header("Authorization"));
        Assert.Equal([TestOptions.AppKey], request.Header("X-Ca-Key"));
        Assert.Equal(["1700000000000"], request.Header("X-Ca-Timestamp"));
        Assert.Matches("^[0-9a-f]{32}$", Assert.Single(request.Header("X-Ca-Nonce")));
        Assert.Single(request.ContentHeader("Content-MD5"));
        // Signed with the bound AppSecret over the request as sent, not merely carrying a signature header.
        Http.TryOnSignatureHandlerTests.AssertSignatureHolds(request);
    }

    [Fact]
    public async Task A_named_client_configured_in_code_signs_while_the_default_one_sends_its_appcode()
    {
        var signedTransport = new RecordingHandler(HttpStatusCode.OK, Json.Job("k", "WAITING"));
        var appCodeTransport = new RecordingHandler(HttpStatusCode.OK, Json.Job("k", "WAITING"));
        var services = new ServiceCollection();
        services.AddTryOnClient(o =>
        {
            o.Endpoint = new Uri(TestOptions.Endpoint);
            o.AppCode = TestOptions.AppCode;
        }).ConfigurePrimaryHttpMessageHandler(() => appCodeTransport);
        services.AddTryOnClient("signed", o =>
        {
            o.Endpoint = new Uri(TestOptions.Endpoint);
            o.AppKey = TestOptions.AppKey;
            o.AppSecret = TestOptions.AppSecret;
            o.RateLimit.MaxConcurrentRequests = 2; // keyed by the AppKey, as AppCodes key theirs
        }).ConfigurePrimaryHttpMessageHandler(() => signedTransport);

        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredKeyedService<TryOnClient>("signed").QueryAsync("k");
        await provider.GetRequiredService<TryOnClient>().QueryAsync("k");

        Http.TryOnSignatureHandlerTests.AssertSignatureHolds(signedTransport.Requests.Single());
        Assert.Equal([TestOptions.AppKey], signedTransport.Requests.Single().Header("X-Ca-Key"));
        Assert.Empty(signedTransport.Requests.Single().Header("Authorization"));
        Assert.Equal(["APPCODE " + TestOptions.AppCode], appCodeTransport.Requests.Single().Header("Authorization"));
        Assert.Empty(appCodeTransport.Requests.Single().Header("X-Ca-Signature"));
    }

    public static TheoryData<string, string> InvalidConfigurations => new()
    {
        { "both modes", "Configuration key 'AliTryOn:AppCode' (environment variable AliTryOn__AppCode) must not be set together with AliTryOn:AppKey and AliTryOn:AppSecret" },
        { "AppKey alone", "Configuration key 'AliTryOn:AppSecret' (environment variable AliTryOn__AppSecret) is required when AliTryOn:AppKey is set." },
        { "AppSecret alone", "Configuration key 'AliTryOn:AppKey' (environment variable AliTryOn__AppKey) is required when AliTryOn:AppSecret is set." },
        { "AppSecret with a line break", "Configuration key 'AliTryOn:AppSecret' (environment variable AliTryOn__AppSecret) contains whitespace" },
        { "no credentials", "Configuration key 'AliTryOn:AppCode' (environment variable AliTryOn__AppCode) is required: copy your AppCode from the \"purchased services\" page of the Alibaba Cloud Market and set it in user secrets (dotnet user-secrets set \"AliTryOn:AppCode\" \"<your AppCode>\") or in the environment variable AliTryOn__AppCode, not in appsettings.json (or, for the gateway's signing mode, set AliTryOn:AppKey and AliTryOn:AppSecret instead)." },
    };

    [Theory]
    [MemberData(nameof(InvalidConfigurations))]
    public async Task Invalid_credentials_fail_the_host_start_naming_the_configuration_keys_and_never_the_secret(string credentials, string message)
    {
        var settings = new Dictionary<string, string?> { ["AliTryOn:Endpoint"] = "https://a.example.test" };
        switch (credentials)
        {
            case "both modes":
                settings["AliTryOn:AppCode"] = TestOptions.AppCode;
                settings["AliTryOn:AppKey"] = TestOptions.AppKey;
                settings["AliTryOn:AppSecret"] = TestOptions.AppSecret;
                break;
            case "AppKey alone":
                settings["AliTryOn:AppKey"] = TestOptions.AppKey;
                break;
            case "AppSecret alone":
                settings["AliTryOn:AppSecret"] = TestOptions.AppSecret;
                break;
            case "AppSecret with a line break":
                settings["AliTryOn:AppKey"] = TestOptions.AppKey;
                settings["AliTryOn:AppSecret"] = TestOptions.AppSecret + "\r\n";
                break;
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddTryOnClient();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOptions.AppSecret, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOptions.AppCode, error.Message, StringComparison.Ordinal);
    }

    private static ServiceCollection Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services;
    }
}
