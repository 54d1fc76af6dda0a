using System.Net;
using AliTryOn.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RichardSzalay.MockHttp;

namespace AliTryOn.Tests.DependencyInjection;

public class ServiceCollectionTests
{
    [Fact]
    public async Task The_default_client_binds_the_AliTryOn_section_of_the_app_configuration_and_sends_through_the_factory()
    {
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("k", "WAITING"));
        var services = Services(new()
        {
            ["AliTryOn:Endpoint"] = "https://configured.example.test",
            ["AliTryOn:AppCode"] = TestOptions.AppCode,
        });
        services.AddTryOnClient().ConfigurePrimaryHttpMessageHandler(() => transport);

        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<TryOnClient>();
        await client.QueryAsync("k");

        var request = transport.Requests.Single();
        Assert.Equal("https://configured.example.test/api/v2/tryon/query", request.Uri.ToString());
        Assert.Equal(["APPCODE " + TestOptions.AppCode], request.Header("Authorization"));
        Assert.Single(request.Header("X-Ca-Nonce"));
    }

    [Fact]
    public void Every_setting_is_bound_from_configuration()
    {
        var services = Services(new()
        {
            ["AliTryOn:Endpoint"] = "http://10.0.0.5:8080/base/",
            ["AliTryOn:AppCode"] = TestOptions.AppCode,
            ["AliTryOn:AllowInsecureHttp"] = "true",
            ["AliTryOn:AttemptTimeout"] = "00:01:15",
            ["AliTryOn:TotalTimeout"] = "00:05:00",
            ["AliTryOn:Retry:MaxRetries"] = "5",
            ["AliTryOn:Retry:BaseDelay"] = "00:00:00.250",
            ["AliTryOn:Retry:MaxDelay"] = "00:00:10",
            ["AliTryOn:Retry:MaxRetryAfter"] = "00:00:20",
            ["AliTryOn:RateLimit:RequestsPerSecond"] = "2.5",
            ["AliTryOn:RateLimit:MaxConcurrentRequests"] = "4",
            ["AliTryOn:RateLimit:QueueLimit"] = "50",
            ["AliTryOn:Polling:InitialDelay"] = "00:00:02",
            ["AliTryOn:Polling:ElapsedRatio"] = "0.25",
            ["AliTryOn:Polling:MaxDelay"] = "00:00:40",
            ["AliTryOn:Polling:JitterRatio"] = "0.1",
            ["AliTryOn:Polling:Timeout"] = "01:00:00",
        });
        services.AddTryOnClient();

        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptionsMonitor<TryOnClientOptions>>().Get(Options.DefaultName);

        Assert.Equal(new Uri("http://10.0.0.5:8080/base/"), options.Endpoint);
        Assert.Equal(TestOptions.AppCode, options.AppCode);
        Assert.True(options.AllowInsecureHttp);
        Assert.Equal(TimeSpan.FromSeconds(75), options.AttemptTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), options.TotalTimeout);
        Assert.Equal(5, options.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.Retry.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Retry.MaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(20), options.Retry.MaxRetryAfter);
        Assert.Equal(2.5, options.RateLimit.RequestsPerSecond);
        Assert.Equal(4, options.RateLimit.MaxConcurrentRequests);
        Assert.Equal(50, options.RateLimit.QueueLimit);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Polling.InitialDelay);
        Assert.Equal(0.25, options.Polling.ElapsedRatio);
        Assert.Equal(TimeSpan.FromSeconds(40), options.Polling.MaxDelay);
        Assert.Equal(0.1, options.Polling.JitterRatio);
        Assert.Equal(TimeSpan.FromHours(1), options.Polling.Timeout);
    }

    [Fact]
    public void Code_configuration_runs_after_the_section_and_overrides_it()
    {
        var services = Services(new() { ["AliTryOn:Endpoint"] = "https://a.example.test", ["AliTryOn:AppCode"] = "from-config" });
        services.AddTryOnClient(o => o.AppCode = "from-code");

        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptionsMonitor<TryOnClientOptions>>().Get(Options.DefaultName);

        Assert.Equal("from-code", options.AppCode);
        Assert.Equal(new Uri("https://a.example.test"), options.Endpoint);
    }

    [Fact]
    public void Without_any_app_configuration_the_code_settings_suffice()
    {
        var services = new ServiceCollection();
        services.AddTryOnClient(o =>
        {
            o.Endpoint = new Uri(TestOptions.Endpoint);
            o.AppCode = TestOptions.AppCode;
        });

        using var provider = services.BuildServiceProvider();

        Assert.NotNull(provider.GetRequiredService<TryOnClient>());
    }

    [Fact]
    public void A_value_that_does_not_parse_is_reported_with_its_full_key()
    {
        var services = Services(new()
        {
            ["AliTryOn:Endpoint"] = "https://a.example.test",
            ["AliTryOn:AppCode"] = TestOptions.AppCode,
            ["AliTryOn:Polling:ElapsedRatio"] = "fast",
            ["AliTryOn:AttemptTimeout"] = "thirty seconds",
            ["AliTryOn:Retry:MaxRetries"] = "three",
        });
        services.AddTryOnClient();

        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<TryOnClient>());

        Assert.Contains("Configuration key 'AliTryOn:Polling:ElapsedRatio' (environment variable AliTryOn__Polling__ElapsedRatio) has the value 'fast', which is not a number", error.Message, StringComparison.Ordinal);
        Assert.Contains("'AliTryOn:AttemptTimeout'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'AliTryOn:Retry:MaxRetries' (environment variable AliTryOn__Retry__MaxRetries) has the value 'three', which is not a whole number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_appcode_fails_the_host_start_naming_the_configuration_key()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AliTryOn:Endpoint"] = "https://a.example.test" });
        builder.Services.AddTryOnClient();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Configuration key 'AliTryOn:AppCode' (environment variable AliTryOn__AppCode) is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_endpoint_and_an_insecure_one_fail_the_host_start()
    {
        foreach (var (endpoint, expected) in new[] { ((string?)null, "'AliTryOn:Endpoint' (environment variable AliTryOn__Endpoint) is required"), ("http://public.example.test", "must use https") })
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AliTryOn:Endpoint"] = endpoint, ["AliTryOn:AppCode"] = TestOptions.AppCode });
            builder.Services.AddTryOnClient();
            using var host = builder.Build();

            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(TestOptions.AppCode, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Valid_options_let_the_host_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AliTryOn:Endpoint"] = "https://a.example.test", ["AliTryOn:AppCode"] = TestOptions.AppCode });
        builder.Services.AddTryOnClient();
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();

        Assert.NotNull(host.Services.GetRequiredService<TryOnClient>());
    }

    [Fact]
    public async Task Two_named_clients_use_their_own_appcodes_and_endpoints()
    {
        // MockHttp's expectations match in order and check each client's exact credentials and address.
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Post, "https://eu.example.test/api/v2/tryon/query")
            .WithHeaders("Authorization", "APPCODE appcode-eu")
            .Respond("application/json", Json.Job("k", "WAITING"));
        mock.Expect(HttpMethod.Post, "https://cn.example.test/api/v2/tryon/query")
            .WithHeaders("Authorization", "APPCODE appcode-cn")
            .Respond("application/json", Json.Job("k", "RUNNING"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tenants:Eu:Endpoint"] = "https://eu.example.test",
            ["Tenants:Eu:AppCode"] = "appcode-eu",
        }).Build();
        var services = new ServiceCollection();
        services.AddTryOnClient("eu", configuration.GetSection("Tenants:Eu")).ConfigurePrimaryHttpMessageHandler(() => mock);
        services.AddTryOnClient("cn", o =>
        {
            o.Endpoint = new Uri("https://cn.example.test");
            o.AppCode = "appcode-cn";
        }).ConfigurePrimaryHttpMessageHandler(() => mock);

        await using var provider = services.BuildServiceProvider();
        var eu = await provider.GetRequiredKeyedService<TryOnClient>("eu").QueryAsync("k");
        var cn = await provider.GetRequiredKeyedService<TryOnClient>("cn").QueryAsync("k");

        mock.VerifyNoOutstandingExpectation();
        Assert.Equal(TryOnTaskStatus.Waiting, eu.Tasks[0].Status);
        Assert.Equal(TryOnTaskStatus.Running, cn.Tasks[0].Status);
        Assert.Null(provider.GetService<TryOnClient>());
    }

    [Fact]
    public void A_named_client_with_a_bad_setting_names_the_client_or_its_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Tenants:Eu:Endpoint"] = "https://eu.example.test" }).Build();
        var services = new ServiceCollection();
        services.AddTryOnClient("eu", configuration.GetSection("Tenants:Eu"));
        services.AddTryOnClient("cn", o => o.Endpoint = new Uri("https://cn.example.test"));

        using var provider = services.BuildServiceProvider();
        var eu = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredKeyedService<TryOnClient>("eu"));
        var cn = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredKeyedService<TryOnClient>("cn"));

        Assert.Contains("'Tenants:Eu:AppCode'", eu.Message, StringComparison.Ordinal);
        Assert.Contains("TryOnClientOptions.AppCode of the TryOnClient named 'cn' is required", cn.Message, StringComparison.Ordinal);
        Assert.Equal("cn", cn.OptionsName);
    }

    [Fact]
    public async Task The_returned_builder_chains_onto_the_clients_http_pipeline_inside_authentication()
    {
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("k", "WAITING"));
        string? seenAuthorization = null;
        var services = new ServiceCollection();
        services.AddTryOnClient(o =>
            {
                o.Endpoint = new Uri(TestOptions.Endpoint);
                o.AppCode = TestOptions.AppCode;
            })
            .AddHttpMessageHandler(() => new InspectingHandler(r => seenAuthorization = r.Headers.Authorization?.ToString()))
            .ConfigurePrimaryHttpMessageHandler(() => transport);

        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<TryOnClient>().QueryAsync("k");

        Assert.Equal("APPCODE " + TestOptions.AppCode, seenAuthorization);
    }

    [Fact]
    public void The_http_client_has_no_timeout_of_its_own_and_the_transport_does_not_follow_redirects()
    {
        var services = new ServiceCollection();
        var builder = services.AddTryOnClient(o =>
        {
            o.Endpoint = new Uri(TestOptions.Endpoint);
            o.AppCode = TestOptions.AppCode;
        });

        using var provider = services.BuildServiceProvider();
        var httpClient = provider.GetRequiredService<IHttpClientFactory>().CreateClient(builder.Name);
        var handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(builder.Name);
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler!;
        }

        Assert.Equal(Timeout.InfiniteTimeSpan, httpClient.Timeout);
        // HttpClientHandler before Microsoft.Extensions.Http 9, SocketsHttpHandler from then on: redirects off either way.
        Assert.False(handler switch
        {
            HttpClientHandler primary => primary.AllowAutoRedirect,
            SocketsHttpHandler primary => primary.AllowAutoRedirect,
            _ => throw new InvalidOperationException($"Unexpected primary handler {handler.GetType()}"),
        });
    }

    [Fact]
    public async Task Http_logging_at_trace_never_shows_the_appcode_or_the_nonce_in_messages_or_structured_values()
    {
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("k", "WAITING"));
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddTryOnClient(o =>
        {
            o.Endpoint = new Uri(TestOptions.Endpoint);
            o.AppCode = TestOptions.AppCode;
        }).ConfigurePrimaryHttpMessageHandler(() => transport);

        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<TryOnClient>().QueryAsync("k");

        var nonce = transport.Requests.Single().Header("X-Ca-Nonce").Single();
        var text = string.Join("\n", logs.Messages);
        Assert.Contains("Received HTTP 200 for POST " + TestOptions.QueryUrl, text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOptions.AppCode, text, StringComparison.Ordinal);
        Assert.DoesNotContain(nonce, text, StringComparison.Ordinal);
        Assert.DoesNotContain("System.Net.Http.HttpClient.", text, StringComparison.Ordinal); // the factory's header loggers are gone
    }

    [Fact]
    public void Registering_the_same_client_again_adds_configuration_without_doubling_handlers_or_checks()
    {
        var services = new ServiceCollection();
        services.AddTryOnClient(o =>
        {
            o.Endpoint = new Uri(TestOptions.Endpoint);
            o.AppCode = TestOptions.AppCode;
        });
        services.AddTryOnClient(o => o.Polling.Timeout = TimeSpan.FromMinutes(3));
        var invalid = new ServiceCollection();
        invalid.AddTryOnClient(o => o.Endpoint = new Uri(TestOptions.Endpoint));
        invalid.AddTryOnClient(o => o.AttemptTimeout = TimeSpan.FromSeconds(5));

        using var provider = services.BuildServiceProvider();
        using var invalidProvider = invalid.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => invalidProvider.GetRequiredService<TryOnClient>());
        Assert.Single(error.Failures);

        Assert.NotSame(provider.GetRequiredService<TryOnClient>(), provider.GetRequiredService<TryOnClient>());
        Assert.Single(services, d => d.ServiceType == typeof(TryOnClient));
        Assert.Equal(TimeSpan.FromMinutes(3), provider.GetRequiredService<IOptionsMonitor<TryOnClientOptions>>().Get(Options.DefaultName).Polling.Timeout);
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<TryOnClientOptions>));
        var handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(typeof(TryOnClient).FullName!);
        var authenticationHandlers = 0;
        while (handler is DelegatingHandler delegating)
        {
            authenticationHandlers += delegating is AliTryOn.DependencyInjection.TryOnCurrentCredentialsHandler ? 1 : 0;
            handler = delegating.InnerHandler!;
        }

        Assert.Equal(1, authenticationHandlers);
    }

    [Fact]
    public void Registering_a_client_again_with_another_configuration_section_is_refused_rather_than_merged()
    {
        // A copy-paste slip: merged, the "eu" client would send the Cn section's endpoint with the Eu AppCode.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TryOn:Eu:Endpoint"] = "https://eu.example.test",
            ["TryOn:Cn:Endpoint"] = "https://cn.example.test",
        }).Build();
        var services = new ServiceCollection();
        services.AddTryOnClient("eu", configuration.GetSection("TryOn:Eu"));
        services.AddTryOnClient("eu", configuration.GetSection("TryOn:Eu"), o => o.AppCode = TestOptions.AppCode); // the same section: fine

        var error = Assert.Throws<InvalidOperationException>(() => services.AddTryOnClient("eu", configuration.GetSection("TryOn:Cn")));

        Assert.Equal("The TryOnClient named 'eu' is already registered with the configuration section 'TryOn:Eu'; registering it again with 'TryOn:Cn' would merge the two, each setting of the second over the first. Register each client once, or give this one a name of its own.", error.Message);
        var unnamed = new ServiceCollection();
        unnamed.AddTryOnClient();
        Assert.StartsWith("The TryOnClient is already registered with the configuration section 'AliTryOn'; registering it again with 'TryOn:Cn' would merge the two", Assert.Throws<InvalidOperationException>(() => unnamed.AddTryOnClient(configuration.GetSection("TryOn:Cn"))).Message, StringComparison.Ordinal);

        // The third reader's case: code first, then two sections: the second section is compared with the first.
        var codeFirst = new ServiceCollection();
        codeFirst.AddTryOnClient("eu", o => o.AppCode = TestOptions.AppCode);
        codeFirst.AddTryOnClient("eu", configuration.GetSection("TryOn:Eu"));
        Assert.Throws<InvalidOperationException>(() => codeFirst.AddTryOnClient("eu", configuration.GetSection("TryOn:Cn")));
        using var provider = services.BuildServiceProvider();
        Assert.Equal(new Uri("https://eu.example.test"), provider.GetRequiredService<IOptionsMonitor<TryOnClientOptions>>().Get("eu").Endpoint);
    }

    [Fact]
    public void Names_are_checked()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentException>("name", () => services.AddTryOnClient(" ", o => { }));
        Assert.Throws<ArgumentNullException>("name", () => services.AddTryOnClient((string)null!, o => { }));
        Assert.Throws<ArgumentNullException>("configure", () => services.AddTryOnClient("x", (Action<TryOnClientOptions>)null!));
    }

    private static ServiceCollection Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services;
    }

    private sealed class InspectingHandler(Action<HttpRequestMessage> inspect) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            inspect(request);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
