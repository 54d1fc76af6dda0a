using System.Diagnostics;
using System.Text;
using AliTryOn.Testing.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace AliTryOn.Testing.Tests.Security;

/// <summary>
/// The AppCode and the AppSecret never leak. Sentinel AppCodes and AppSecrets go through every success and failure path
/// of the SDK registered with dependency injection (so IHttpClientFactory's own logging runs too), against the
/// emulator in memory and over real HTTP; every log entry at every level, every activity, every exception, the options'
/// and the emulator's records' text are captured and scanned for the sentinels, and the logs and activities for the
/// requests' nonces and signatures.
/// </summary>
public sealed class AppCodeLeakTests(ITestOutputHelper output) : IDisposable
{
    private const string Sentinel = "SENTINEL-appcode-9b1f07c3";
    private const string SecondSentinel = "SENTINEL-othercode-5d2e8a41";
    private const string SecretSentinel = "SENTINEL-appsecret-6a0f3b92";
    private const string SecondSecretSentinel = "SENTINEL-othersecret-1e7c4d58";

    /// <summary>The AppKey of the signing mode: an identifier, shown by design (in ToString, the gateway's messages).</summary>
    private const string SignedAppKey = "leak-appkey-77";

    /// <summary>Any part of a sentinel that kept its prefix (a value cut short still leaks most of the code).</summary>
    private const string SentinelPrefix = "SENTINEL-";

    private const string OtherClient = "other";
    private const string PatientClient = "patient";

    private static readonly ActivitySource Source = new("AliTryOn.Testing.Tests.Security");
    private static readonly Uri Model = new("https://img.test/model.png");
    private static readonly TryOnTask SampleTask = new(Model, Upper: new GarmentImage(new Uri("https://img.test/top.png"), GarmentKind.FlatLay));
    private static readonly TryOnTask QualityTask = new(Model, Lower: new GarmentImage(new Uri("https://img.test/jeans.png"), GarmentKind.WornByModel), InferenceMode: InferenceMode.Quality);

    private readonly TelemetryCapture _capture = new();
    private readonly HashSet<string> _traceIds = [];
    private readonly List<string> _nonces = [];
    private readonly List<string> _signatures = [];
    private int _exceptions;

    private static string HttpClientName => typeof(TryOnClient).FullName!;

    public void Dispose() => _capture.Dispose();

    [Fact]
    public async Task In_memory_success_and_every_fault_never_reveal_the_appcode()
    {
        using var root = StartRoot();
        var time = new FakeTimeProvider();
        var emulator = CreateEmulator(time);
        var signed = new SignedRequestLog(Sentinel);
        var otherSigned = new SignedRequestLog(SecondSentinel);
        var services = NewServices();
        RegisterClients(services, TryOnEmulator.DefaultBaseAddress, emulator.CreateHandler, signed, otherSigned);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<TryOnClient>();

        // Success: submit, wait, download every result without credentials.
        var submitted = await client.SubmitAsync([SampleTask, QualityTask]);
        time.Advance(TimeSpan.FromMinutes(1));
        var done = await client.WaitForCompletionAsync(submitted.ResultKey);
        Assert.Equal(2, done.SucceededTasks.Count);
        await DownloadAllAsync(new HttpClient(emulator.CreateHandler()), done);
        _capture.AddObject("completed job", done);

        await ExpectAsync<TryOnJobNotFoundException>("query of an unknown key", () => client.QueryAsync("no-such-result-key"));

        foreach (var (name, fault) in Faults())
        {
            emulator.Faults.AddAlways(TryOnEmulatorOperation.Submit, fault);
            await ExpectAsync<TryOnException>("submit, " + name, () => client.SubmitAsync(SampleTask));
            emulator.Faults.Clear();
            emulator.Faults.AddAlways(TryOnEmulatorOperation.Query, fault);
            await ExpectAsync<TryOnException>("query, " + name, () => client.QueryAsync(submitted.ResultKey));
            emulator.Faults.Clear();
        }

        // A task failure is decided at submit; it reaches the caller through the wait.
        emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.TaskFailed());
        var failing = await client.SubmitAsync(SampleTask);
        time.Advance(TimeSpan.FromMinutes(1));
        await ExpectAsync<TryOnJobFailedException>("wait, tasks failed", () => client.WaitForCompletionAsync(failing.ResultKey, new TryOnWaitOptions { ThrowOnFailedTasks = true }));

        // The emulator's clock stands still from here, so this job never finishes and the wait hits its limit.
        var pending = await client.SubmitAsync(SampleTask);
        await ExpectAsync<TryOnWaitTimeoutException>("wait, time limit", () => client.WaitForCompletionAsync(pending.ResultKey, new TryOnWaitOptions { Timeout = TimeSpan.FromMilliseconds(30) }));

        await ExpectAsync<ArgumentException>("submit, ftp model URL", () => client.SubmitAsync(SampleTask with { ModelImage = new Uri("ftp://img.test/model.png") }));
        await ExpectAsync<ArgumentException>("submit, no garment", () => client.SubmitAsync(new TryOnTask(Model)));
        await ExpectAsync<ArgumentException>("submit, eleven tasks", () => client.SubmitAsync(Enumerable.Repeat(SampleTask, 11)));
        await ExpectAsync<ArgumentException>("query, blank key", () => client.QueryAsync(" "));
        await ExpectAsync<ArgumentException>("wait, zero time limit", () => client.WaitForCompletionAsync(pending.ResultKey, new TryOnWaitOptions { Timeout = TimeSpan.Zero }));

        var other = provider.GetRequiredKeyedService<TryOnClient>(OtherClient);
        await ExpectAsync<TryOnAuthenticationException>("submit, AppCode the service does not know", () => other.SubmitAsync(SampleTask));
        await ExpectAsync<TryOnAuthenticationException>("query, AppCode the service does not know", () => other.QueryAsync(submitted.ResultKey));

        CaptureOptions(provider);
        CaptureRecords(emulator, signed, otherSigned);

        AssertSentinelsWentOut(emulator, signed, otherSigned);
        AssertNoLeak();
    }

    [Fact]
    public async Task Attempt_timeouts_and_client_side_rate_limiting_never_reveal_the_appcode()
    {
        using var root = StartRoot();
        var time = new ObservedFakeTimeProvider(); // never advanced: a latency fault holds its answer until the client gives up
        var emulator = CreateEmulator(time);
        var signed = new SignedRequestLog(Sentinel);
        var patientSigned = new SignedRequestLog(Sentinel);
        var services = NewServices();
        void Configure(TryOnClientOptions o, TimeSpan attemptTimeout, TimeSpan totalTimeout)
        {
            o.Endpoint = TryOnEmulator.DefaultBaseAddress;
            o.AppCode = Sentinel;
            o.AttemptTimeout = attemptTimeout;
            o.TotalTimeout = totalTimeout;
            o.Retry.MaxRetries = 0;
            o.RateLimit.MaxConcurrentRequests = 1; // shared by both clients: they use the same AppCode
            o.RateLimit.QueueLimit = 0;
        }

        services.AddTryOnClient(o => Configure(o, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200)))
            .ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler)
            .AddHttpMessageHandler(signed.CreateHandler);
        services.AddTryOnClient(PatientClient, o => Configure(o, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan))
            .ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler)
            .AddHttpMessageHandler(patientSigned.CreateHandler);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<TryOnClient>();

        var accepted = await client.SubmitAsync(SampleTask);
        emulator.Faults.AddAlways(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.Latency(TimeSpan.FromSeconds(5)));
        emulator.Faults.AddAlways(TryOnEmulatorOperation.Query, TryOnEmulatorFault.Latency(TimeSpan.FromSeconds(5)));
        var timedOut = await ExpectAsync<TryOnSubmitOutcomeUnknownException>("submit, attempt timeout", () => client.SubmitAsync(SampleTask));
        Assert.NotNull(timedOut.Nonce); // by design: the nonce identifies the attempt to the vendor
        await ExpectAsync<TryOnTimeoutException>("query, attempt timeout", () => client.QueryAsync(accepted.ResultKey));

        // A call without time limits holds the AppCode's only permit inside the emulator until it is cancelled;
        // meanwhile the client-side limit refuses another call.
        using var cancellation = new CancellationTokenSource();
        var timersBefore = time.PendingTimers;
        var holding = provider.GetRequiredKeyedService<TryOnClient>(PatientClient).SubmitAsync(SampleTask, cancellation.Token);
        await FakeClock.SettleAsync(holding, () => time.PendingTimers > timersBefore);
        Assert.False(holding.IsCompleted, "The first call should hold the permit.");
        await ExpectAsync<TryOnThrottledException>("query, client-side rate limit", () => client.QueryAsync(accepted.ResultKey));
        await cancellation.CancelAsync();
        await ExpectAsync<OperationCanceledException>("submit, cancelled while holding the permit", () => holding);

        CaptureOptions(provider);
        CaptureRecords(emulator, signed, patientSigned);
        Assert.Contains(emulator.Requests, r => r.CreatedJob && r.Status == 200);
        Assert.Contains(emulator.Requests, r => r.ErrorCode == "cancelled");
        Assert.True(signed.SignedWithExpectedAppCode > 0);
        AssertClientLogsCaptured(PatientClient);
        AssertNoLeak();
    }

    [Fact]
    public async Task Options_validation_failures_never_reveal_the_appcode()
    {
        await ExpectInvalidOptionsAsync("http endpoint off loopback", s => s.AddTryOnClient(o =>
        {
            o.Endpoint = new Uri("http://tryon.example.com/");
            o.AppCode = Sentinel;
        }));
        await ExpectInvalidOptionsAsync("AppCode with a trailing newline", s => s.AddTryOnClient(o =>
        {
            o.Endpoint = TryOnEmulator.DefaultBaseAddress;
            o.AppCode = Sentinel + "\n";
        }));
        await ExpectInvalidOptionsAsync(
            "named client, AppCode with a space",
            s => s.AddTryOnClient(OtherClient, o =>
            {
                o.Endpoint = TryOnEmulator.DefaultBaseAddress;
                o.AppCode = SecondSentinel + " x";
            }),
            OtherClient);
        await ExpectInvalidOptionsAsync("configuration with a malformed setting", s =>
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AliTryOn:Endpoint"] = "https://tryon.example.com",
                ["AliTryOn:AppCode"] = Sentinel,
                ["AliTryOn:AttemptTimeout"] = "soon",
            }).Build();
            s.AddSingleton<IConfiguration>(configuration);
            s.AddTryOnClient();
        });
        await ExpectInvalidOptionsAsync("configuration with an http endpoint", s => s.AddTryOnClient(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["TryOn:Endpoint"] = "http://tryon.example.com",
                ["TryOn:AppCode"] = Sentinel + "\t",
            }).Build().GetSection("TryOn")));

        // The host refuses to start, and logs why.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(_capture.LoggerProvider));
        builder.Services.AddTryOnClient(o =>
        {
            o.Endpoint = new Uri("http://tryon.example.com/");
            o.AppCode = Sentinel;
        });
        using (var host = builder.Build())
        {
            await ExpectAsync<OptionsValidationException>("host start", () => host.StartAsync());
        }

        // Without dependency injection.
        var insecure = new TryOnClientOptions { Endpoint = new Uri("http://tryon.example.com/"), AppCode = Sentinel };
        Expect<ArgumentException>("constructor, http endpoint off loopback", () => new TryOnClient(insecure));
        Expect<ArgumentException>("authentication handler, AppCode with a space", () => new TryOnAuthenticationHandler(new TryOnClientOptions { AppCode = Sentinel + " x" }));
        Expect<ArgumentException>("emulator client, http endpoint off loopback", () => CreateEmulator(TimeProvider.System).CreateClient(o =>
        {
            o.Endpoint = new Uri("http://tryon.example.com/");
            o.AppCode = Sentinel;
        }));
        _capture.AddObject("options set in code", insecure);
        Assert.Contains("(set, hidden)", insecure.ToString(), StringComparison.Ordinal);

        Assert.Equal(14, _exceptions);
        Assert.All(_capture.Entries.Where(e => e.Kind == "exception" && e.Origin.Contains("endpoint", StringComparison.Ordinal)), e =>
            Assert.Contains("Endpoint", e.Text, StringComparison.Ordinal));
        AssertNoLeak();
    }

    [Fact]
    public async Task Over_real_http_neither_client_nor_server_telemetry_reveals_the_appcode()
    {
        using var root = StartRoot();
        var emulator = new TryOnEmulator(new TryOnEmulatorOptions
        {
            AppCodes = { Sentinel },
            QueueTime = TimeSpan.Zero,
            FastDuration = TimeSpan.Zero,
            QualityDuration = TimeSpan.Zero,
        });
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(_capture.ServerLoggerProvider);
        await using var app = builder.Build();
        app.MapTryOnEmulator(emulator);
        await app.StartAsync();
        var address = new Uri(app.Urls.Single());

        var signed = new SignedRequestLog(Sentinel);
        var otherSigned = new SignedRequestLog(SecondSentinel);
        var services = NewServices();
        RegisterClients(services, address, primary: null, signed, otherSigned);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<TryOnClient>();

        var done = await client.SubmitAndWaitAsync([SampleTask, QualityTask]);
        Assert.Equal(2, done.SucceededTasks.Count);
        await DownloadAllAsync(new HttpClient(), done);

        await ExpectAsync<TryOnJobNotFoundException>("http, query of an unknown key", () => client.QueryAsync("no-such-result-key"));
        (TryOnEmulatorOperation Operation, string Name, TryOnEmulatorFault Fault)[] faults =
        [
            (TryOnEmulatorOperation.Submit, "throttled", TryOnEmulatorFault.Throttled()),
            (TryOnEmulatorOperation.Submit, "dropped connection after processing", TryOnEmulatorFault.DroppedConnection(afterProcessing: true)),
            (TryOnEmulatorOperation.Query, "HTML 503", TryOnEmulatorFault.HtmlError(503)),
            (TryOnEmulatorOperation.Query, "dropped connection", TryOnEmulatorFault.DroppedConnection()),
        ];
        foreach (var (operation, name, fault) in faults)
        {
            emulator.Faults.AddAlways(operation, fault);
            await ExpectAsync<TryOnException>(
                $"http, {operation}, {name}",
                () => operation == TryOnEmulatorOperation.Submit ? client.SubmitAsync(SampleTask) : client.QueryAsync(done.ResultKey));
            emulator.Faults.Clear();
        }

        var other = provider.GetRequiredKeyedService<TryOnClient>(OtherClient);
        await ExpectAsync<TryOnAuthenticationException>("http, AppCode the service does not know", () => other.SubmitAsync(SampleTask));

        await app.StopAsync();
        CaptureOptions(provider);
        CaptureRecords(emulator, signed, otherSigned);

        AssertSentinelsWentOut(emulator, signed, otherSigned);
        Assert.Contains(_capture.Logs, e => e.Kind == "server-log");
        var activities = _capture.ActivitiesOf(_traceIds);
        Assert.Contains(activities, a => a.Origin == "System.Net.Http");
        Assert.Contains(activities, a => a.Origin == "Microsoft.AspNetCore");
        AssertNoLeak();
    }

    [Fact]
    public async Task In_memory_signed_success_and_every_fault_never_reveal_the_appsecret()
    {
        using var root = StartRoot();
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow()); // the clients sign on the system clock
        var emulator = CreateSigningEmulator(time);
        var signed = SignedRequestLog.ForAppKey(SignedAppKey);
        var otherSigned = SignedRequestLog.ForAppKey(SignedAppKey);
        var services = NewServices();
        RegisterSignedClients(services, TryOnEmulator.DefaultBaseAddress, emulator.CreateHandler, signed, otherSigned);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<TryOnClient>();

        var submitted = await client.SubmitAsync([SampleTask, QualityTask]);
        time.Advance(TimeSpan.FromMinutes(1));
        var done = await client.WaitForCompletionAsync(submitted.ResultKey);
        Assert.Equal(2, done.SucceededTasks.Count);
        await DownloadAllAsync(new HttpClient(emulator.CreateHandler()), done);

        await ExpectAsync<TryOnJobNotFoundException>("signed, query of an unknown key", () => client.QueryAsync("no-such-result-key"));
        foreach (var (name, fault) in Faults())
        {
            emulator.Faults.AddAlways(TryOnEmulatorOperation.Submit, fault);
            await ExpectAsync<TryOnException>("signed, submit, " + name, () => client.SubmitAsync(SampleTask));
            emulator.Faults.Clear();
            emulator.Faults.AddAlways(TryOnEmulatorOperation.Query, fault);
            await ExpectAsync<TryOnException>("signed, query, " + name, () => client.QueryAsync(submitted.ResultKey));
            emulator.Faults.Clear();
        }

        var pending = await client.SubmitAsync(SampleTask);
        await ExpectAsync<TryOnWaitTimeoutException>("signed, wait, time limit", () => client.WaitForCompletionAsync(pending.ResultKey, new TryOnWaitOptions { Timeout = TimeSpan.FromMilliseconds(30) }));

        // The gateway's Invalid Signature answer carries its StringToSign, which holds no secret.
        var other = provider.GetRequiredKeyedService<TryOnClient>(OtherClient);
        var wrong = await ExpectAsync<TryOnAuthenticationException>("submit, AppSecret the service does not know", () => other.SubmitAsync(SampleTask));
        Assert.StartsWith("Invalid Signature, Server StringToSign:`", wrong.Details.GatewayErrorMessage, StringComparison.Ordinal);
        await ExpectAsync<TryOnAuthenticationException>("query, AppSecret the service does not know", () => other.QueryAsync(submitted.ResultKey));

        // A timestamp outside the gateway's window.
        time.Advance(TimeSpan.FromMinutes(20));
        await ExpectAsync<TryOnAuthenticationException>("signed, timestamp expired", () => client.QueryAsync(submitted.ResultKey));

        CaptureOptions(provider);
        CaptureRecords(emulator, signed, otherSigned);
        AssertSecretsWentOut(emulator, signed, otherSigned);
        AssertNoLeak();
    }

    [Fact]
    public async Task Over_real_http_neither_client_nor_server_telemetry_reveals_the_appsecret()
    {
        using var root = StartRoot();
        var emulator = CreateSigningEmulator(TimeProvider.System, zeroDurations: true);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(_capture.ServerLoggerProvider);
        await using var app = builder.Build();
        app.MapTryOnEmulator(emulator);
        await app.StartAsync();
        var address = new Uri(app.Urls.Single());

        var signed = SignedRequestLog.ForAppKey(SignedAppKey);
        var otherSigned = SignedRequestLog.ForAppKey(SignedAppKey);
        var services = NewServices();
        RegisterSignedClients(services, address, primary: null, signed, otherSigned);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<TryOnClient>();

        var done = await client.SubmitAndWaitAsync([SampleTask, QualityTask]);
        Assert.Equal(2, done.SucceededTasks.Count);
        await DownloadAllAsync(new HttpClient(), done);
        await ExpectAsync<TryOnJobNotFoundException>("signed http, query of an unknown key", () => client.QueryAsync("no-such-result-key"));
        emulator.Faults.AddAlways(TryOnEmulatorOperation.Query, TryOnEmulatorFault.HtmlError(503));
        await ExpectAsync<TryOnServiceException>("signed http, query, HTML 503", () => client.QueryAsync(done.ResultKey));
        emulator.Faults.Clear();
        emulator.Faults.AddAlways(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.DroppedConnection(afterProcessing: true));
        await ExpectAsync<TryOnSubmitOutcomeUnknownException>("signed http, submit, dropped connection after processing", () => client.SubmitAsync(SampleTask));
        emulator.Faults.Clear();

        var other = provider.GetRequiredKeyedService<TryOnClient>(OtherClient);
        await ExpectAsync<TryOnAuthenticationException>("signed http, AppSecret the service does not know", () => other.SubmitAsync(SampleTask));

        await app.StopAsync();
        CaptureOptions(provider);
        CaptureRecords(emulator, signed, otherSigned);
        AssertSecretsWentOut(emulator, signed, otherSigned);
        Assert.Contains(_capture.Logs, e => e.Kind == "server-log");
        var activities = _capture.ActivitiesOf(_traceIds);
        Assert.Contains(activities, a => a.Origin == "System.Net.Http");
        Assert.Contains(activities, a => a.Origin == "Microsoft.AspNetCore");
        AssertNoLeak();
    }

    [Fact]
    public async Task Signing_options_validation_failures_never_reveal_the_appsecret()
    {
        await ExpectInvalidOptionsAsync("AppSecret with a trailing newline", s => s.AddTryOnClient(o =>
        {
            o.Endpoint = TryOnEmulator.DefaultBaseAddress;
            o.AppKey = SignedAppKey;
            o.AppSecret = SecretSentinel + "\n";
        }));
        await ExpectInvalidOptionsAsync("AppSecret without AppKey", s => s.AddTryOnClient(o =>
        {
            o.Endpoint = TryOnEmulator.DefaultBaseAddress;
            o.AppSecret = SecretSentinel;
        }));
        await ExpectInvalidOptionsAsync("AppCode and AppSecret both set", s => s.AddTryOnClient(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["TryOn:Endpoint"] = "https://tryon.example.com",
                ["TryOn:AppCode"] = Sentinel,
                ["TryOn:AppKey"] = SignedAppKey,
                ["TryOn:AppSecret"] = SecondSecretSentinel,
            }).Build().GetSection("TryOn")));

        var insecure = new TryOnClientOptions { Endpoint = new Uri("http://tryon.example.com/"), AppKey = SignedAppKey, AppSecret = SecretSentinel };
        Expect<ArgumentException>("signed constructor, http endpoint off loopback", () => new TryOnClient(insecure));
        Expect<ArgumentException>("signature handler, AppSecret with a space", () => new TryOnSignatureHandler(new TryOnClientOptions { AppKey = SignedAppKey, AppSecret = SecretSentinel + " x" }));
        Expect<ArgumentException>("signature handler, no AppKey", () => new TryOnSignatureHandler(new TryOnClientOptions { AppSecret = SecretSentinel }));
        _capture.AddObject("signed options set in code", insecure);
        Assert.Contains("AppSecret = (set, hidden)", insecure.ToString(), StringComparison.Ordinal);

        Assert.Equal(9, _exceptions);
        AssertNoLeak();
    }

    private static IEnumerable<(string Name, TryOnEmulatorFault Fault)> Faults() =>
    [
        ("throttled", TryOnEmulatorFault.Throttled()),
        ("gateway throttled", TryOnEmulatorFault.GatewayThrottled()),
        ("quota exhausted", TryOnEmulatorFault.QuotaExhausted()),
        ("content rejected", TryOnEmulatorFault.ContentRejected()),
        ("image unreachable", TryOnEmulatorFault.ImageUnreachable()),
        ("invalid image", TryOnEmulatorFault.InvalidImage()),
        ("job failed", TryOnEmulatorFault.JobFailed()),
        ("internal error", TryOnEmulatorFault.InternalError()),
        ("internal error after processing", TryOnEmulatorFault.InternalError(afterProcessing: true)),
        ("HTML 502", TryOnEmulatorFault.HtmlError(502)),
        ("HTML 503", TryOnEmulatorFault.HtmlError(503)),
        ("HTML 504", TryOnEmulatorFault.HtmlError(504)),
        ("gateway quota exhausted", TryOnEmulatorFault.GatewayError(403, "Quota Exhausted")),
        ("dropped connection", TryOnEmulatorFault.DroppedConnection()),
        ("dropped connection after processing", TryOnEmulatorFault.DroppedConnection(afterProcessing: true)),
    ];

    private static TryOnEmulator CreateEmulator(TimeProvider time)
    {
        var options = new TryOnEmulatorOptions { TimeProvider = time };
        options.AppCodes.Clear(); // only the sentinel opens it, so an accepted call proves the sentinel was sent
        options.AppCodes.Add(Sentinel);
        return new TryOnEmulator(options);
    }

    /// <summary>An emulator only the sentinel AppSecret opens (no AppCode at all), so an accepted call proves it signed.</summary>
    private static TryOnEmulator CreateSigningEmulator(TimeProvider time, bool zeroDurations = false)
    {
        var options = new TryOnEmulatorOptions { TimeProvider = time };
        if (zeroDurations)
        {
            options.QueueTime = TimeSpan.Zero;
            options.FastDuration = TimeSpan.Zero;
            options.QualityDuration = TimeSpan.Zero;
        }

        options.AppCodes.Clear();
        options.AppKeys.Clear();
        options.AppKeys[SignedAppKey] = SecretSentinel;
        return new TryOnEmulator(options);
    }

    /// <summary>The default client signs with the sentinel secret; the other with a second sentinel the emulator refuses.</summary>
    private static void RegisterSignedClients(IServiceCollection services, Uri endpoint, Func<HttpMessageHandler>? primary, SignedRequestLog signed, SignedRequestLog otherSigned)
    {
        void Configure(TryOnClientOptions o, string appSecret)
        {
            o.Endpoint = endpoint;
            o.AppKey = SignedAppKey;
            o.AppSecret = appSecret;
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
            o.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
            o.Polling.InitialDelay = TimeSpan.FromMilliseconds(1);
            o.Polling.MaxDelay = TimeSpan.FromMilliseconds(5);
        }

        var main = services.AddTryOnClient(o => Configure(o, SecretSentinel)).AddHttpMessageHandler(signed.CreateHandler);
        var other = services.AddTryOnClient(OtherClient, o => Configure(o, SecondSecretSentinel)).AddHttpMessageHandler(otherSigned.CreateHandler);
        if (primary is not null)
        {
            main.ConfigurePrimaryHttpMessageHandler(primary);
            other.ConfigurePrimaryHttpMessageHandler(primary);
        }
    }

    private static void RegisterClients(IServiceCollection services, Uri endpoint, Func<HttpMessageHandler>? primary, SignedRequestLog signed, SignedRequestLog otherSigned)
    {
        void Configure(TryOnClientOptions o, string appCode)
        {
            o.Endpoint = endpoint;
            o.AppCode = appCode;
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
            o.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
            o.Polling.InitialDelay = TimeSpan.FromMilliseconds(1);
            o.Polling.MaxDelay = TimeSpan.FromMilliseconds(5);
        }

        var main = services.AddTryOnClient(o => Configure(o, Sentinel)).AddHttpMessageHandler(signed.CreateHandler);
        var other = services.AddTryOnClient(OtherClient, o => Configure(o, SecondSentinel)).AddHttpMessageHandler(otherSigned.CreateHandler);
        if (primary is not null)
        {
            main.ConfigurePrimaryHttpMessageHandler(primary);
            other.ConfigurePrimaryHttpMessageHandler(primary);
        }
    }

    private static async Task DownloadAllAsync(HttpClient downloads, TryOnJob job)
    {
        using (downloads)
        {
            Assert.NotEmpty(job.ResultUrls);
            foreach (var url in job.ResultUrls)
            {
                var png = await downloads.GetByteArrayAsync(url);
                Assert.Equal(0x89, png[0]);
            }
        }
    }

    private Activity StartRoot()
    {
        var root = Source.StartActivity("AppCode leak scan") ?? throw new InvalidOperationException("The capture listens to every source.");
        _traceIds.Add(root.TraceId.ToString());
        return root;
    }

    private ServiceCollection NewServices()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(_capture.LoggerProvider));
        return services;
    }

    private async Task<TException> ExpectAsync<TException>(string scenario, Func<Task> call)
        where TException : Exception
    {
        var thrown = await Record.ExceptionAsync(call);
        return Captured<TException>(scenario, thrown);
    }

    private TException Expect<TException>(string scenario, Func<object?> call)
        where TException : Exception => Captured<TException>(scenario, Record.Exception(call));

    private TException Captured<TException>(string scenario, Exception? thrown)
        where TException : Exception
    {
        Assert.True(thrown is not null, scenario + ": nothing was thrown.");
        _capture.AddException(scenario, thrown);
        _exceptions++;
        return Assert.IsAssignableFrom<TException>(thrown);
    }

    /// <summary>The client cannot be resolved, nor the options read, nor start-up validation passed.</summary>
    private async Task ExpectInvalidOptionsAsync(string scenario, Action<IServiceCollection> register, string? clientName = null)
    {
        var services = NewServices();
        register(services);
        await using var provider = services.BuildServiceProvider();
        Expect<OptionsValidationException>(scenario + ", resolving the client", () => clientName is null
            ? provider.GetRequiredService<TryOnClient>()
            : provider.GetRequiredKeyedService<TryOnClient>(clientName));
        Expect<OptionsValidationException>(scenario + ", start-up validation", () =>
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return null;
        });
    }

    private void CaptureOptions(IServiceProvider provider)
    {
        var monitor = provider.GetRequiredService<IOptionsMonitor<TryOnClientOptions>>();
        foreach (var name in new[] { Options.DefaultName, OtherClient, PatientClient })
        {
            var options = monitor.Get(name);
            if (options.AppCode is null && options.AppSecret is null)
            {
                continue; // not registered in this test
            }

            Assert.Contains(options.AppCode is null ? "AppSecret = (set, hidden)" : "AppCode = (set, hidden)", options.ToString(), StringComparison.Ordinal);
            _capture.AddObject("options " + name, options);
        }
    }

    private void CaptureRecords(TryOnEmulator emulator, params SignedRequestLog[] signed)
    {
        Assert.NotEmpty(emulator.Requests);
        foreach (var request in emulator.Requests)
        {
            _capture.AddObject($"emulator request {request.Sequence}", request);
            _capture.AddObject($"emulator request {request.Sequence} headers", request.Headers);
            if (request.Headers.TryGetValue("Authorization", out var authorization))
            {
                Assert.Equal("APPCODE ***", authorization);
            }

            if (request.Headers.TryGetValue("X-Ca-Signature", out var signature))
            {
                Assert.Equal("***", signature);
            }

            if (request.Nonce is not null)
            {
                _nonces.Add(request.Nonce);
            }
        }

        foreach (var log in signed)
        {
            Assert.NotEmpty(log.Nonces);
            _nonces.AddRange(log.Nonces);
            _signatures.AddRange(log.Signatures);
        }
    }

    /// <summary>
    /// The sentinels really went out: the emulator (which only the sentinel opens) created a job and refused the other
    /// code, both were signed on the wire, and the client's HTTP logs were captured.
    /// </summary>
    private void AssertSentinelsWentOut(TryOnEmulator emulator, SignedRequestLog signed, SignedRequestLog otherSigned)
    {
        Assert.Contains(emulator.Requests, r => r.CreatedJob && r.Status == 200);
        Assert.Contains(emulator.Requests, r => r.ErrorCode == "23500001");
        Assert.True(signed.SignedWithExpectedAppCode > 0);
        Assert.True(otherSigned.SignedWithExpectedAppCode > 0);
        AssertClientLogsCaptured(OtherClient);
    }

    /// <summary>
    /// The secret sentinels really went out, as signatures: the emulator (which only the sentinel secret opens) created
    /// a job and refused the other secret's signature, both clients signed on the wire, and their HTTP logs were captured.
    /// </summary>
    private void AssertSecretsWentOut(TryOnEmulator emulator, SignedRequestLog signed, SignedRequestLog otherSigned)
    {
        Assert.Contains(emulator.Requests, r => r.CreatedJob && r.Status == 200);
        Assert.Contains(emulator.Requests, r => r.ErrorCode?.StartsWith("Invalid Signature, Server StringToSign:`", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(emulator.Requests, r => r.Headers.ContainsKey("Authorization"));
        Assert.True(signed.SignedWithExpectedAppKey > 0);
        Assert.True(otherSigned.SignedWithExpectedAppKey > 0);
        Assert.NotEmpty(_signatures);
        AssertClientLogsCaptured(OtherClient);
    }

    /// <summary>
    /// The capture works: the client's own HTTP logger logged every call (events 2001 and 2002 in AliTryOn.Http).
    /// IHttpClientFactory's default loggers are absent from the try-on clients: at Trace their structured values
    /// carry the request headers, AppCode included, even where the message text is redacted.
    /// </summary>
    private void AssertClientLogsCaptured(params string[] namedClients)
    {
        var logs = _capture.Logs.Where(e => e.Kind == "log").ToList();
        Assert.Contains(logs, e => e.Origin == "AliTryOn.Http" && e.Text.Contains("event 2001", StringComparison.Ordinal));
        Assert.Contains(logs, e => e.Origin == "AliTryOn.Http" && e.Text.Contains("event 2002", StringComparison.Ordinal));
        foreach (var client in namedClients.Select(n => HttpClientName + ":" + n).Prepend(HttpClientName))
        {
            Assert.DoesNotContain(logs, e => e.Origin.StartsWith($"System.Net.Http.HttpClient.{client}.", StringComparison.Ordinal));
        }
    }

    /// <summary>No captured text holds a sentinel, and no log entry or activity holds a request's nonce.</summary>
    private void AssertNoLeak()
    {
        Assert.Contains(_capture.Entries, e => e.Kind == "exception");
        if (_traceIds.Count > 0)
        {
            // The listener works: it saw this test's own root activity start.
            Assert.Contains(_capture.Entries, e => e.Kind == "activity-start" && e.Origin == Source.Name && _traceIds.Contains(e.TraceId!));
        }

        var hits = new List<(string What, CapturedText Where)>();
        foreach (var secret in new[] { Sentinel, SecondSentinel, SecretSentinel, SecondSecretSentinel, SentinelPrefix })
        {
            // The prefix reports only what the whole sentinels did not: a code cut short or partly rewritten.
            var found = _capture.FindAll(secret).Where(e => !hits.Any(h => ReferenceEquals(h.Where, e))).ToList();
            hits.AddRange(found.Select(e => ("'" + secret + "'", e)));
        }

        // Nonces may appear in TryOnSubmitOutcomeUnknownException.Nonce and the emulator's records, by design; not in
        // telemetry. Signatures, which open the API for as long as their timestamp holds, appear nowhere.
        var telemetry = _capture.Entries.Where(e => e.Kind is "log" or "server-log" or "activity" or "activity-start").ToList();
        var corpus = string.Join("\n\u0001\n", telemetry.Select(e => e.Text));
        // The gateway's Invalid Signature answer quotes its StringToSign, nonce included: the SDK masks that nonce.
        foreach (var nonce in _nonces.Distinct(StringComparer.Ordinal))
        {
            if (corpus.Contains(nonce, StringComparison.OrdinalIgnoreCase))
            {
                hits.AddRange(telemetry.Where(e => e.Text.Contains(nonce, StringComparison.OrdinalIgnoreCase)).Select(e => ("a nonce", e)));
            }
        }

        foreach (var signature in _signatures.Distinct(StringComparer.Ordinal))
        {
            hits.AddRange(_capture.FindAll(signature).Select(e => ("a signature", e)));
        }

        // One example of each place (kind, origin, first line: level and event id), with how often it happened.
        var leaks = new StringBuilder();
        foreach (var place in hits.GroupBy(h => (h.What, h.Where.Kind, h.Where.Origin, Head: h.Where.Text.Split('\n')[0])))
        {
            leaks.Append(place.Key.What).Append(" in ").Append(place.Count()).Append(" × ").Append(place.Key.Kind)
                .Append(" from ").Append(place.Key.Origin).Append(" (").Append(place.Key.Head).AppendLine("), for example:")
                .AppendLine(place.First().Where.Text);
        }

        // Started, not stopped: the test's own root activity is still running here.
        var mine = _capture.Entries.Where(e => e.Kind == "activity-start" && _traceIds.Contains(e.TraceId!) && e.Origin != Source.Name).ToList();
        output.WriteLine(
            $"captured {_capture.Logs.Count(e => e.Kind == "log")} client log entries in {_capture.Logs.Where(e => e.Kind == "log").Select(e => e.Origin).Distinct().Count()} categories, "
            + $"{_capture.Logs.Count(e => e.Kind == "server-log")} server log entries, {_capture.Logs.Count(e => e.Text.StartsWith(nameof(LogLevel.Trace), StringComparison.Ordinal))} at Trace; "
            + $"{mine.Count} activities of this test ({string.Join(", ", mine.Select(a => a.Origin).Distinct())}), {_capture.Entries.Count(e => e.Kind == "activity")} in the process; "
            + $"{_exceptions} exceptions; {_nonces.Distinct().Count()} nonces; {_signatures.Distinct().Count()} signatures; {_capture.Entries.Count} entries scanned.");
        foreach (var category in _capture.Logs.GroupBy(e => e.Kind + " " + e.Origin).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {category.Key}: {category.Count()}");
        }

        Assert.True(leaks.Length == 0, "Secret found in captured output:\n" + leaks);
    }
}
