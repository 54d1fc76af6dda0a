using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AliTryOn.Testing.Tests.DependencyInjection;

/// <summary>
/// Apps that add <c>ConfigureHttpClientDefaults(b =&gt; b.AddStandardResilienceHandler())</c> (common with .NET Aspire)
/// give every HTTP client a retrying handler. The try-on client takes it out of its own chain (keeping it for other
/// clients), so a billed submit is never retried by it and queries do not get two retry layers.
/// </summary>
public sealed class StandardResilienceHandlerTests
{
    [Fact]
    public async Task An_app_wide_standard_resilience_handler_never_retries_a_submit()
    {
        var transport = new CountingTransport(HttpStatusCode.ServiceUnavailable);
        var logs = new ListLoggerProvider();
        await using var provider = Build(transport, logs, services => services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler()));

        await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => provider.GetRequiredService<TryOnClient>().SubmitAsync(Task()));

        Assert.Equal(1, transport.Submits);
        Assert.Contains(logs.Entries, e => e.EventId == 1001 && e.Level == LogLevel.Warning && e.Message.Contains("Microsoft.Extensions.Http.Resilience.ResilienceHandler", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Queries_are_retried_by_the_clients_own_policy_only()
    {
        var transport = new CountingTransport(HttpStatusCode.ServiceUnavailable);
        await using var provider = Build(transport, new ListLoggerProvider(), services => services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler()));

        await Assert.ThrowsAsync<TryOnServiceException>(() => provider.GetRequiredService<TryOnClient>().QueryAsync("rk"));

        Assert.Equal(4, transport.Queries); // 1 + the client's 3 retries; stacked layers would make 16
    }

    [Fact]
    public async Task A_standard_handler_chained_on_the_clients_own_builder_is_taken_out_too()
    {
        var transport = new CountingTransport(HttpStatusCode.ServiceUnavailable);
        await using var provider = Build(transport, new ListLoggerProvider(), _ => { }, builder => builder.AddStandardResilienceHandler());

        await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => provider.GetRequiredService<TryOnClient>().SubmitAsync(Task()));

        Assert.Equal(1, transport.Submits);
    }

    [Fact]
    public async Task Other_clients_keep_their_standard_resilience_handler()
    {
        await using var provider = Build(new CountingTransport(HttpStatusCode.OK), new ListLoggerProvider(), services =>
        {
            services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler());
            services.AddHttpClient("other");
        });
        var factory = provider.GetRequiredService<IHttpMessageHandlerFactory>();

        Assert.Contains("Microsoft.Extensions.Http.Resilience.ResilienceHandler", Chain(factory.CreateHandler("other")));
        var ours = Chain(factory.CreateHandler(typeof(TryOnClient).FullName!));
        Assert.DoesNotContain("Microsoft.Extensions.Http.Resilience.ResilienceHandler", ours);
        Assert.Contains("AliTryOn.DependencyInjection.TryOnCurrentCredentialsHandler", ours); // authenticates each attempt
    }

    [Fact]
    public async Task The_warning_is_logged_once_per_client_however_often_the_factory_builds_its_chain_again()
    {
        var logs = new ListLoggerProvider();
        await using var provider = Build(new CountingTransport(HttpStatusCode.OK), logs, services => services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler()));
        var name = typeof(TryOnClient).FullName!;
        var actions = provider.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>().Get(name).HttpMessageHandlerBuilderActions;

        for (var build = 0; build < 3; build++)
        {
            // What the factory does at the end of each handler lifetime (2 minutes by default): the chain made anew.
            var builder = provider.GetRequiredService<HttpMessageHandlerBuilder>();
            builder.Name = name;
            foreach (var action in actions)
            {
                action(builder);
            }

            Assert.DoesNotContain(builder.AdditionalHandlers, h => h.GetType().FullName == "Microsoft.Extensions.Http.Resilience.ResilienceHandler");
        }

        Assert.Single(logs.Entries, e => e.EventId == 1001 && e.Message.Contains($"HTTP client {name}: ", StringComparison.Ordinal));
    }

    private static TryOnTask Task() =>
        new(new Uri("https://img.test/m.png"), Upper: new GarmentImage(new Uri("https://img.test/t.png"), GarmentKind.FlatLay));

    private static ServiceProvider Build(CountingTransport transport, ListLoggerProvider logs, Action<IServiceCollection> configure, Action<IHttpClientBuilder>? chain = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs));
        configure(services);
        var builder = services.AddTryOnClient(o =>
        {
            o.Endpoint = new Uri("https://tryon.example.test");
            o.AppCode = "code";
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
            o.Retry.MaxDelay = TimeSpan.FromMilliseconds(2);
        }).ConfigurePrimaryHttpMessageHandler(() => transport);
        chain?.Invoke(builder);
        return services.BuildServiceProvider();
    }

    private static List<string> Chain(HttpMessageHandler handler)
    {
        var types = new List<string>();
        for (var current = handler; current is not null; current = (current as DelegatingHandler)?.InnerHandler)
        {
            types.Add(current.GetType().FullName!);
        }

        return types;
    }

    private sealed class CountingTransport(HttpStatusCode status) : HttpMessageHandler
    {
        private int _submits;
        private int _queries;

        public int Submits => _submits;

        public int Queries => _queries;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _ = request.RequestUri!.AbsolutePath.EndsWith("/submit", StringComparison.Ordinal)
                ? Interlocked.Increment(ref _submits)
                : Interlocked.Increment(ref _queries);
            var body = status == HttpStatusCode.OK
                ? """{"code":0,"success":true,"data":{"result_key":"rk","task_list":[{"status":"WAITING"}]}}"""
                : "<html>busy</html>";
            return System.Threading.Tasks.Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, status == HttpStatusCode.OK ? "application/json" : "text/html") });
        }
    }

    private sealed class ListLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, int EventId, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(Entries);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<(LogLevel, int, string)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue((logLevel, eventId.Id, formatter(state, exception)));
        }
    }
}
