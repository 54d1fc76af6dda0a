using System.Net;
using AliTryOn.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AliTryOn.Tests.DependencyInjection;

/// <summary>
/// Clients registered with dependency injection follow configuration reloads: a rotated AppCode or AppKey/AppSecret
/// is used by the next attempt (of a client resolved before, a wait in progress, a retry of a call in flight), changed
/// rate limits apply to the next call, and a reload that leaves the settings invalid is not applied but logged. The
/// reloads are real: an in-memory source set and <see cref="IConfigurationRoot.Reload"/>, whose token fires.
/// </summary>
public class ConfigurationReloadTests
{
    private const string RotatedAppCode = "SENTINEL-rotated-appcode-91be";
    private const string RotatedAppKey = "rotated-appkey-3318";
    private const string RotatedAppSecret = "SENTINEL-rotated-secret-6d0f";

    [Fact]
    public async Task A_client_resolved_before_a_rotation_sends_the_new_appcode_on_its_next_call()
    {
        var transport = new RecordingHandler(RecordingHandler.Jobs("k", "WAITING"));
        var configuration = Configuration(new() { ["AliTryOn:AppCode"] = TestOptions.AppCode });
        await using var provider = Provider(configuration, transport);
        var longLived = provider.GetRequiredService<TryOnClient>();
        await longLived.QueryAsync("k");

        Rotate(configuration, ("AliTryOn:AppCode", RotatedAppCode));
        await longLived.QueryAsync("k");
        await provider.GetRequiredService<TryOnClient>().QueryAsync("k");

        Assert.Equal(
            ["APPCODE " + TestOptions.AppCode, "APPCODE " + RotatedAppCode, "APPCODE " + RotatedAppCode],
            transport.Requests.Select(r => Assert.Single(r.Header("Authorization"))));
    }

    [Fact]
    public async Task A_named_client_follows_its_own_section_and_the_others_keep_theirs()
    {
        var transport = new RecordingHandler(RecordingHandler.Jobs("k", "WAITING"));
        var configuration = Configuration(new()
        {
            ["Tenants:Eu:Endpoint"] = TestOptions.Endpoint,
            ["Tenants:Eu:AppCode"] = "appcode-eu",
            ["Tenants:Cn:Endpoint"] = TestOptions.Endpoint,
            ["Tenants:Cn:AppCode"] = "appcode-cn",
        });
        await using var provider = Named(configuration, transport, ("eu", "Tenants:Eu"), ("cn", "Tenants:Cn"));
        var eu = provider.GetRequiredKeyedService<TryOnClient>("eu");
        var cn = provider.GetRequiredKeyedService<TryOnClient>("cn");

        Rotate(configuration, ("Tenants:Eu:AppCode", "appcode-eu-2"));
        await eu.QueryAsync("k");
        await cn.QueryAsync("k");

        Assert.Equal(["APPCODE appcode-eu-2", "APPCODE appcode-cn"], transport.Requests.Select(r => Assert.Single(r.Header("Authorization"))));
    }

    [Fact]
    public async Task A_rotated_appkey_and_appsecret_sign_the_next_call_and_a_switch_between_modes_applies_too()
    {
        var transport = new RecordingHandler(RecordingHandler.Jobs("k", "WAITING"));
        var configuration = Configuration(new() { ["AliTryOn:AppKey"] = TestOptions.AppKey, ["AliTryOn:AppSecret"] = TestOptions.AppSecret });
        await using var provider = Provider(configuration, transport);
        var client = provider.GetRequiredService<TryOnClient>();
        await client.QueryAsync("k");

        Rotate(configuration, ("AliTryOn:AppKey", RotatedAppKey), ("AliTryOn:AppSecret", RotatedAppSecret));
        await client.QueryAsync("k");
        Rotate(configuration, ("AliTryOn:AppKey", null), ("AliTryOn:AppSecret", null), ("AliTryOn:AppCode", RotatedAppCode));
        await client.QueryAsync("k");

        var requests = transport.Requests;
        Assert.Equal([TestOptions.AppKey], requests[0].Header("X-Ca-Key"));
        Http.TryOnSignatureHandlerTests.AssertSignatureHolds(requests[0]);
        Assert.Equal([RotatedAppKey], requests[1].Header("X-Ca-Key"));
        Http.TryOnSignatureHandlerTests.AssertSignatureHolds(requests[1], RotatedAppSecret);
        Assert.Equal(["APPCODE " + RotatedAppCode], requests[2].Header("Authorization"));
        Assert.Empty(requests[2].Header("X-Ca-Signature"));
        Assert.Empty(requests[2].Header("X-Ca-Key"));
    }

    [Fact]
    public async Task The_retry_of_a_call_in_flight_carries_the_credential_rotated_after_its_first_attempt()
    {
        var time = new ObservedFakeTimeProvider();
        IConfigurationRoot configuration = null!;
        var transport = new RecordingHandler((_, index) =>
        {
            if (index > 0)
            {
                return RecordingHandler.Response(HttpStatusCode.OK, Json.Job("k", "RUNNING"));
            }

            // The rotation lands while the first attempt is answered, before the retry is made.
            Rotate(configuration, ("AliTryOn:AppCode", RotatedAppCode));
            return RecordingHandler.Response(HttpStatusCode.ServiceUnavailable, "<html>busy</html>", "text/html");
        }) { Clock = time };
        configuration = Configuration(new() { ["AliTryOn:AppCode"] = TestOptions.AppCode });
        await using var provider = Provider(configuration, transport, time);

        await FakeClock.RunAsync(time, provider.GetRequiredService<TryOnClient>().QueryAsync("k"), TimeSpan.FromMinutes(1));

        Assert.Equal(["APPCODE " + TestOptions.AppCode, "APPCODE " + RotatedAppCode], transport.Requests.Select(r => Assert.Single(r.Header("Authorization"))));
    }

    [Fact]
    public async Task A_wait_in_progress_polls_with_the_rotated_appcode()
    {
        var time = new ObservedFakeTimeProvider();
        IConfigurationRoot configuration = null!;
        var transport = new RecordingHandler((_, index) =>
        {
            if (index == 1)
            {
                Rotate(configuration, ("AliTryOn:AppCode", RotatedAppCode));
            }

            return RecordingHandler.Response(HttpStatusCode.OK, Json.Job("k", index < 3 ? "RUNNING" : "SUCCESS"));
        }) { Clock = time };
        configuration = Configuration(new() { ["AliTryOn:AppCode"] = TestOptions.AppCode });
        await using var provider = Provider(configuration, transport, time);

        await FakeClock.RunAsync(time, provider.GetRequiredService<TryOnClient>().WaitForCompletionAsync("k"), TimeSpan.FromMinutes(5));

        Assert.Equal(
            ["APPCODE " + TestOptions.AppCode, "APPCODE " + TestOptions.AppCode, "APPCODE " + RotatedAppCode, "APPCODE " + RotatedAppCode],
            transport.Requests.Select(r => Assert.Single(r.Header("Authorization"))));
    }

    [Fact]
    public async Task A_raised_concurrency_limit_lets_more_calls_in_flight_without_a_restart()
    {
        var transport = new GateHandler();
        var configuration = Configuration(new() { ["AliTryOn:AppCode"] = TestOptions.AppCode, ["AliTryOn:RateLimit:MaxConcurrentRequests"] = "1" });
        await using var provider = Provider(configuration, transport);
        var client = provider.GetRequiredService<TryOnClient>();
        var before = Enumerable.Range(0, 2).Select(i => Task.Run(() => client.QueryAsync($"a{i}"))).ToArray();
        await FakeClock.SettleAsync(Task.WhenAll(before), () => transport.InFlight == 1);
        Assert.Equal(1, transport.Arrived);
        transport.Release(2);
        await Task.WhenAll(before);

        Rotate(configuration, ("AliTryOn:RateLimit:MaxConcurrentRequests", "3"));
        var after = Enumerable.Range(0, 4).Select(i => Task.Run(() => client.QueryAsync($"b{i}"))).ToArray();
        await FakeClock.SettleAsync(Task.WhenAll(after), () => transport.InFlight == 3);

        Assert.Equal(2 + 3, transport.Arrived); // three at once; the fourth waits for a permit
        transport.Release(4);
        await Task.WhenAll(after);
        Assert.Equal(3, transport.MaxInFlight);
    }

    [Fact]
    public async Task A_changed_rate_applies_to_the_next_calls_on_the_clients_clock()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(RecordingHandler.Jobs("k", "RUNNING")) { Clock = time };
        var configuration = Configuration(new() { ["AliTryOn:AppCode"] = TestOptions.AppCode, ["AliTryOn:RateLimit:RequestsPerSecond"] = "1" });
        await using var provider = Provider(configuration, transport, time);
        var client = provider.GetRequiredService<TryOnClient>();
        var first = Task.WhenAll(Enumerable.Range(0, 2).Select(i => Task.Run(() => client.QueryAsync($"a{i}"))));
        await FakeClock.SettleAsync(first, () => transport.Requests.Count == 1);
        Assert.Single(transport.Requests); // one a second: the second call waits
        FakeClock.Advance(time, TimeSpan.FromSeconds(1));
        await first;

        Rotate(configuration, ("AliTryOn:RateLimit:RequestsPerSecond", "4"));
        var second = Task.WhenAll(Enumerable.Range(0, 5).Select(i => Task.Run(() => client.QueryAsync($"b{i}"))));
        await FakeClock.SettleAsync(second, () => transport.Requests.Count == 2 + 4);

        Assert.Equal(2 + 4, transport.Requests.Count); // a second's worth of the new rate at once; the fifth waits
        FakeClock.Advance(time, TimeSpan.FromSeconds(1));
        await second;
        Assert.Equal(2 + 5, transport.Requests.Count);
    }

    [Fact]
    public async Task A_rotated_appcode_takes_the_limit_of_its_new_appcode()
    {
        var transport = new GateHandler();
        var configuration = Configuration(new()
        {
            ["A:Endpoint"] = TestOptions.Endpoint,
            ["A:AppCode"] = "code-a",
            ["A:RateLimit:MaxConcurrentRequests"] = "1",
            ["B:Endpoint"] = TestOptions.Endpoint,
            ["B:AppCode"] = "code-b",
            ["B:RateLimit:MaxConcurrentRequests"] = "1",
        });
        await using var provider = Named(configuration, transport, ("a", "A"), ("b", "B"));
        var a = provider.GetRequiredKeyedService<TryOnClient>("a");
        var b = provider.GetRequiredKeyedService<TryOnClient>("b");
        transport.Release();
        await a.QueryAsync("1"); // through code-a's limit, which is free again after

        Rotate(configuration, ("A:AppCode", "code-b"));
        var fromB = b.QueryAsync("2"); // holds code-b's only permit
        await FakeClock.SettleAsync(fromB, () => transport.InFlight == 1);
        var fromA = a.QueryAsync("3");
        var limiterOfB = Settings(provider, "b").Current.RateLimiter!;
        await FakeClock.SettleAsync(fromA, () => Queued(limiterOfB) == 1);

        Assert.Equal(2, transport.Arrived); // "a" now waits in code-b's limit, which "b" holds; code-a's is free
        Assert.Same(limiterOfB, Settings(provider, "a").Current.RateLimiter);
        transport.Release(2);
        await Task.WhenAll(fromB, fromA);
        Assert.Equal(3, transport.Arrived);
        Assert.Equal(1, transport.MaxInFlight);
    }

    [Fact]
    public async Task A_client_without_limits_takes_no_part_in_the_limit_of_another_client_of_its_appcode()
    {
        var configuration = SharedAppCode(limitOfB: null);
        await using var provider = Named(configuration, new GateHandler(), ("a", "A"), ("b", "B"));

        Assert.NotNull(Settings(provider, "a").Current.RateLimiter);
        Assert.Null(Settings(provider, "b").Current.RateLimiter);
    }

    [Fact]
    public async Task Changed_limits_of_one_client_replace_the_limit_of_every_client_of_its_appcode()
    {
        // Both registrations share one AppCode, so one limit: when one of them changes it, the other keeps to the new one
        // too, rather than to the old limiter, which would let both together past the gateway's flow control.
        var transport = new GateHandler();
        var configuration = SharedAppCode(limitOfB: "1");
        await using var provider = Named(configuration, transport, ("a", "A"), ("b", "B"));
        var a = provider.GetRequiredKeyedService<TryOnClient>("a");
        var b = provider.GetRequiredKeyedService<TryOnClient>("b");
        Assert.Same(Settings(provider, "a").Current.RateLimiter, Settings(provider, "b").Current.RateLimiter);

        Rotate(configuration, ("A:RateLimit:MaxConcurrentRequests", "2"));
        var calls = new[] { a.QueryAsync("1"), b.QueryAsync("2"), a.QueryAsync("3"), b.QueryAsync("4") };
        var shared = Settings(provider, "a").Current.RateLimiter!;
        await FakeClock.SettleAsync(Task.WhenAll(calls), () => transport.Arrived + Queued(shared) == 4 || transport.Arrived > 2);

        Assert.Same(shared, Settings(provider, "b").Current.RateLimiter);
        Assert.Same(Settings(provider, "b").Current, Settings(provider, "b").Current); // derived again once, not per call
        Assert.Equal(2, transport.Arrived); // two at once, the new limit, across both clients
        transport.Release(4);
        await Task.WhenAll(calls);
        Assert.Equal(4, transport.Arrived);
        Assert.Equal(2, transport.MaxInFlight);
    }

    [Fact]
    public async Task A_reload_that_changes_nothing_of_a_client_keeps_its_limiter_and_the_permits_taken()
    {
        var transport = new GateHandler();
        var configuration = Configuration(new() { ["AliTryOn:AppCode"] = TestOptions.AppCode, ["AliTryOn:RateLimit:MaxConcurrentRequests"] = "1" });
        await using var provider = Provider(configuration, transport);
        var client = provider.GetRequiredService<TryOnClient>();
        var holding = client.QueryAsync("1");
        await FakeClock.SettleAsync(holding, () => transport.InFlight == 1);

        var before = Settings(provider, Options.DefaultName).Current;
        var limiter = before.RateLimiter!;

        Rotate(configuration, ("Logging:LogLevel:Default", "Debug"));
        Assert.NotSame(before, Settings(provider, Options.DefaultName).Current); // the reload reached the client's settings
        var next = client.QueryAsync("2");
        await FakeClock.SettleAsync(next, () => Queued(limiter) == 1);

        Assert.Same(limiter, Settings(provider, Options.DefaultName).Current.RateLimiter);

        Assert.Equal(1, transport.Arrived);
        transport.Release(2);
        await Task.WhenAll(holding, next);
        Assert.Equal(1, transport.MaxInFlight);
    }

    [Fact]
    public async Task Changed_retries_apply_to_the_next_call_of_a_resolved_client()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(HttpStatusCode.ServiceUnavailable, "<html>busy</html>") { Clock = time };
        var configuration = Configuration(new() { ["AliTryOn:AppCode"] = TestOptions.AppCode, ["AliTryOn:Retry:MaxRetries"] = "0" });
        await using var provider = Provider(configuration, transport, time);
        var client = provider.GetRequiredService<TryOnClient>();
        await Assert.ThrowsAnyAsync<TryOnException>(() => FakeClock.RunAsync(time, client.QueryAsync("k"), TimeSpan.FromMinutes(1)));

        Rotate(configuration, ("AliTryOn:Retry:MaxRetries", "2"));
        await Assert.ThrowsAnyAsync<TryOnException>(() => FakeClock.RunAsync(time, client.QueryAsync("k"), TimeSpan.FromMinutes(1)));

        Assert.Equal(1 + 3, transport.Requests.Count);
    }

    [Fact]
    public async Task Changed_time_limits_apply_to_the_next_call_of_a_resolved_client()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, _) => null) { Clock = time };
        var configuration = Configuration(new()
        {
            ["AliTryOn:AppCode"] = TestOptions.AppCode,
            ["AliTryOn:Retry:MaxRetries"] = "0",
            ["AliTryOn:AttemptTimeout"] = "00:00:10",
            ["AliTryOn:TotalTimeout"] = "00:01:00",
        });
        await using var provider = Provider(configuration, transport, time);
        var client = provider.GetRequiredService<TryOnClient>();

        async Task<(TimeSpan Took, string Message)> HungQueryAsync()
        {
            var started = time.GetUtcNow();
            var error = await Assert.ThrowsAsync<TryOnTimeoutException>(() => FakeClock.RunAsync(time, client.QueryAsync("k"), TimeSpan.FromMinutes(5)));
            return (time.GetUtcNow() - started, error.Message);
        }

        var first = await HungQueryAsync();
        Rotate(configuration, ("AliTryOn:AttemptTimeout", "00:00:03"));
        var second = await HungQueryAsync();
        // No attempt limit at all now: the total limit ends the call.
        Rotate(configuration, ("AliTryOn:AttemptTimeout", "infinite"), ("AliTryOn:TotalTimeout", "00:00:07"));
        var third = await HungQueryAsync();

        Assert.InRange(first.Took, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(11));
        Assert.Contains("00:00:10", first.Message, StringComparison.Ordinal);
        Assert.InRange(second.Took, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4));
        Assert.Contains("00:00:03", second.Message, StringComparison.Ordinal);
        Assert.InRange(third.Took, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(8));
        Assert.Contains("00:00:07", third.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changed_retries_apply_to_the_next_result_download_too()
    {
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler(HttpStatusCode.ServiceUnavailable, "busy") { Clock = time };
        var configuration = Configuration(new() { ["AliTryOn:AppCode"] = TestOptions.AppCode, ["AliTryOn:Retry:MaxRetries"] = "0" });
        // The downloads client is a client of its own: its transport comes with every client's defaults.
        await using var provider = Provider(configuration, transport, time, s => s.ConfigureHttpClientDefaults(b => b.ConfigurePrimaryHttpMessageHandler(() => transport)));
        var client = provider.GetRequiredService<TryOnClient>();
        var link = new Uri("https://results.storage.test/r.png");
        await Assert.ThrowsAnyAsync<TryOnException>(() => FakeClock.RunAsync(time, client.DownloadResultAsync(link, Stream.Null), TimeSpan.FromMinutes(1)));

        Rotate(configuration, ("AliTryOn:Retry:MaxRetries", "1"));
        await Assert.ThrowsAnyAsync<TryOnException>(() => FakeClock.RunAsync(time, client.DownloadResultAsync(link, Stream.Null), TimeSpan.FromMinutes(1)));

        Assert.Equal(1 + 2, transport.Requests.Count);
    }

    [Fact]
    public async Task A_reload_that_leaves_the_settings_invalid_is_not_applied_and_a_warning_names_the_key_without_the_secret()
    {
        var logs = new CapturingLoggerProvider();
        var transport = new RecordingHandler(RecordingHandler.Jobs("k", "WAITING"));
        var configuration = Configuration(new() { ["AliTryOn:AppCode"] = TestOptions.AppCode, ["AliTryOn:RateLimit:MaxConcurrentRequests"] = "2" });
        await using var provider = Provider(configuration, transport, services: s => s.AddLogging(b => b.AddProvider(logs)));
        var client = provider.GetRequiredService<TryOnClient>();

        // Neither the reload nor the next calls throw: the running clients, and those resolved after, keep the last valid settings.
        Rotate(configuration, ("AliTryOn:AppCode", " "));
        await client.QueryAsync("k");
        await provider.GetRequiredService<TryOnClient>().QueryAsync("k");
        // A value that does not parse fails the whole reload, the valid rotation beside it included.
        Rotate(configuration, ("AliTryOn:AppCode", RotatedAppCode), ("AliTryOn:RateLimit:MaxConcurrentRequests", "many"));
        await client.QueryAsync("k");

        Assert.Equal(TestOptions.AppCode, provider.GetRequiredService<IOptionsMonitor<TryOnClientOptions>>().Get(Options.DefaultName).AppCode);
        Assert.All(transport.Requests, r => Assert.Equal(["APPCODE " + TestOptions.AppCode], r.Header("Authorization")));
        var warnings = logs.WithId(1150);
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
        Assert.Contains("The reloaded configuration of the default TryOnClient is invalid and was not applied", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("'AliTryOn:AppCode'", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("'AliTryOn:RateLimit:MaxConcurrentRequests' (environment variable AliTryOn__RateLimit__MaxConcurrentRequests) has the value 'many'", warnings[1].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(TestOptions.AppCode, StringComparison.Ordinal) || m.Contains(RotatedAppCode, StringComparison.Ordinal));

        // Once the configuration is valid again, it applies.
        Rotate(configuration, ("AliTryOn:RateLimit:MaxConcurrentRequests", "2"));
        await client.QueryAsync("k");
        Assert.Equal(["APPCODE " + RotatedAppCode], transport.Requests[^1].Header("Authorization"));
        Assert.Equal(2, logs.WithId(1150).Count);
    }

    [Fact]
    public async Task A_reload_that_adds_a_misspelt_key_is_not_applied_and_the_warning_names_the_key_meant()
    {
        var logs = new CapturingLoggerProvider();
        var transport = new RecordingHandler(RecordingHandler.Jobs("k", "WAITING"));
        var configuration = Configuration(new() { ["AliTryOn:AppCode"] = TestOptions.AppCode });
        await using var provider = Provider(configuration, transport, services: s => s.AddLogging(b => b.AddProvider(logs)));
        var client = provider.GetRequiredService<TryOnClient>();

        // The rotation beside the slip is held back with it: applying half a reload would leave the rate the user meant unset.
        Rotate(configuration, ("AliTryOn:AppCode", RotatedAppCode), ("AliTryOn:RateLimit:RequestPerSecond", "2"));
        await client.QueryAsync("k");

        Assert.Equal(["APPCODE " + TestOptions.AppCode], transport.Requests[^1].Header("Authorization"));
        var warning = Assert.Single(logs.WithId(1150));
        Assert.Contains("'AliTryOn:RateLimit:RequestPerSecond' (environment variable AliTryOn__RateLimit__RequestPerSecond) is not a setting of the try-on client; did you mean Configuration key 'AliTryOn:RateLimit:RequestsPerSecond'", warning.Message, StringComparison.Ordinal);

        Rotate(configuration, ("AliTryOn:RateLimit:RequestPerSecond", null), ("AliTryOn:RateLimit:RequestsPerSecond", "2"));
        await client.QueryAsync("k");
        Assert.Equal(["APPCODE " + RotatedAppCode], transport.Requests[^1].Header("Authorization"));
        Assert.Equal(2, provider.GetRequiredService<IOptionsMonitor<TryOnClientOptions>>().Get(Options.DefaultName).RateLimit.RequestsPerSecond);
    }

    private static AliTryOn.DependencyInjection.TryOnClientSettings Settings(IServiceProvider provider, string name) =>
        provider.GetRequiredKeyedService<AliTryOn.DependencyInjection.TryOnClientSettings>(name);

    /// <summary>How many calls wait for a permit of the concurrency limit.</summary>
    private static long Queued(AliTryOn.Http.TryOnRateLimiter limiter) => limiter.Concurrency!.GetStatistics()!.CurrentQueuedCount;

    /// <summary>A configuration with an endpoint and <paramref name="settings"/>, reloadable by <see cref="Rotate"/>.</summary>
    private static IConfigurationRoot Configuration(Dictionary<string, string?> settings)
    {
        settings.TryAdd("AliTryOn:Endpoint", TestOptions.Endpoint);
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    /// <summary>Sections <c>A</c> (at most 1 request at once) and <c>B</c> (<paramref name="limitOfB"/>, or no limit) of one AppCode.</summary>
    private static IConfigurationRoot SharedAppCode(string? limitOfB)
    {
        var settings = new Dictionary<string, string?>
        {
            ["A:Endpoint"] = TestOptions.Endpoint,
            ["A:AppCode"] = TestOptions.AppCode,
            ["A:RateLimit:MaxConcurrentRequests"] = "1",
            ["B:Endpoint"] = TestOptions.Endpoint,
            ["B:AppCode"] = TestOptions.AppCode,
        };
        if (limitOfB is not null)
        {
            settings["B:RateLimit:MaxConcurrentRequests"] = limitOfB;
        }

        return Configuration(settings);
    }

    /// <summary>Clients registered by name, each bound from its section of <paramref name="configuration"/>, sending through <paramref name="transport"/>.</summary>
    private static ServiceProvider Named(IConfigurationRoot configuration, HttpMessageHandler transport, params (string Name, string Section)[] clients)
    {
        var services = new ServiceCollection();
        foreach (var (name, section) in clients)
        {
            services.AddTryOnClient(name, configuration.GetSection(section)).ConfigurePrimaryHttpMessageHandler(() => transport);
        }

        return services.BuildServiceProvider();
    }

    /// <summary>The default client bound from <paramref name="configuration"/>, sending through <paramref name="transport"/>.</summary>
    private static ServiceProvider Provider(IConfigurationRoot configuration, HttpMessageHandler transport, TimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(configuration);
        if (time is not null)
        {
            collection.AddSingleton(time);
        }

        services?.Invoke(collection);
        collection.AddTryOnClient().ConfigurePrimaryHttpMessageHandler(() => transport);
        return collection.BuildServiceProvider();
    }

    /// <summary>Sets values (<see langword="null"/> removes one) and reloads, as a rotated secret in a reloading source would.</summary>
    private static void Rotate(IConfigurationRoot configuration, params (string Key, string? Value)[] changes)
    {
        foreach (var (key, value) in changes)
        {
            configuration[key] = value;
        }

        configuration.Reload();
    }
}
