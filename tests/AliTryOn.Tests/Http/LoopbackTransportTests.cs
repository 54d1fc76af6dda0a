using System.Net.Sockets;
using AliTryOn.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace AliTryOn.Tests.Http;

/// <summary>
/// The client over real sockets (Kestrel on loopback): a connection lost halfway through an answer, a service that is
/// not there, and what clients built and dropped leave open.
/// </summary>
public sealed class LoopbackTransportTests
{
    private static readonly string JobBody = Json.Job("rk-cut", "WAITING");

    private static TryOnClientOptions Options(Uri address) => TestOptions.Create(o =>
    {
        o.Endpoint = address;
        // Real time: the backoff is made negligible rather than waited for.
        o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        o.Retry.MaxDelay = TimeSpan.FromMilliseconds(2);
    });

    [Fact]
    public async Task A_connection_lost_while_a_submit_answer_is_read_is_outcome_unknown_and_not_retried()
    {
        await using var service = new LoopbackService((_, _) => LoopbackAnswer.CutOff(JobBody, bytesSent: 40));
        var client = new TryOnClient(Options(service.Address));

        var error = await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => client.SubmitAsync(TestOptions.Task()));

        Assert.Equal(1, service.Requests);
        Assert.True(error.InnerException is IOException or HttpRequestException, $"{error.InnerException}");
        Assert.Contains("prematurely", error.InnerException!.ToString(), StringComparison.Ordinal);
        Assert.Contains("lost its connection", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Nonce);
    }

    [Fact]
    public async Task A_connection_lost_while_a_query_answer_is_read_is_retried_and_ends_as_a_connection_error()
    {
        await using var service = new LoopbackService((_, _) => LoopbackAnswer.CutOff(JobBody, bytesSent: 40));
        var client = new TryOnClient(Options(service.Address));

        var error = await Assert.ThrowsAsync<TryOnConnectionException>(() => client.QueryAsync("rk-cut"));

        Assert.Equal(4, service.Requests);
        Assert.True(error.InnerException is IOException or HttpRequestException, $"{error.InnerException}");
        Assert.Contains("prematurely", error.InnerException!.ToString(), StringComparison.Ordinal);
        Assert.Equal("rk-cut", error.ResultKey);
    }

    [Fact]
    public async Task A_gateway_message_in_utf8_reads_as_written()
    {
        // The transport reads header bytes as Latin-1; a gateway (or a service behind it) that writes UTF-8 means UTF-8.
        await using var service = new LoopbackService((_, _) => new LoopbackAnswer(400, []) { Headers = ["X-Ca-Error-Message: Invalid Url: 路径无效 café"] });
        var client = new TryOnClient(Options(service.Address));

        var utf8 = await Assert.ThrowsAnyAsync<TryOnException>(() => client.QueryAsync("rk-1"));
        Assert.Equal("Invalid Url: 路径无效 café", utf8.Details.GatewayErrorMessage);
        Assert.Contains("路径无效 café", utf8.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_appcode_the_service_echoes_back_is_masked_in_the_error_and_its_log()
    {
        await using var service = new LoopbackService((_, _) => new LoopbackAnswer(400, System.Text.Encoding.UTF8.GetBytes($$"""{"code":"23500001","success":false,"message":"bad appcode {{TestOptions.AppCode}}, again {{TestOptions.AppCode}}!"}"""))
        {
            Headers = [$"X-Ca-Error-Message: Invalid AppCode `{TestOptions.AppCode}`"],
        });
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var client = new TryOnClient(Options(service.Address), transport: null, timeProvider: null, loggerFactory);

        var error = await Assert.ThrowsAnyAsync<TryOnException>(() => client.QueryAsync("rk-1"));

        Assert.Equal("Invalid AppCode `***`", error.Details.GatewayErrorMessage);
        Assert.Equal("bad appcode ***, again ***!", error.Details.ErrorMessage);
        Assert.DoesNotContain(TestOptions.AppCode, error.ToString(), StringComparison.Ordinal);
        Assert.Equal("""{"code":"23500001","success":false,"message":"bad appcode ***, again ***!"}""", error.Details.RawBody); // every echo masked, the rest kept
        Assert.DoesNotContain(TestOptions.AppCode, string.Join("\n", logs.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_appcode_echoed_across_the_raw_body_excerpt_s_cut_leaves_no_part_of_it()
    {
        // The third reader's case: masked after the 1 KiB cut, the code's start stayed.
        var message = new string('x', 1024 - 40) + TestOptions.AppCode + new string('y', 200);
        await using var service = new LoopbackService((_, _) => new LoopbackAnswer(400, System.Text.Encoding.UTF8.GetBytes($$"""{"code":"23500001","success":false,"message":"{{message}}"}""")));
        var client = new TryOnClient(Options(service.Address));

        var error = await Assert.ThrowsAnyAsync<TryOnException>(() => client.QueryAsync("rk-1"));

        Assert.DoesNotContain("SENTINEL-app", error.Details.RawBody, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOptions.AppCode, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_cut_off_once_is_retried_and_returns_the_job()
    {
        await using var service = new LoopbackService((index, _) => index == 0 ? LoopbackAnswer.CutOff(JobBody, bytesSent: 40) : LoopbackAnswer.Json(JobBody));
        var client = new TryOnClient(Options(service.Address));

        var job = await client.QueryAsync("rk-cut");

        Assert.Equal("rk-cut", job.ResultKey);
        Assert.Equal(2, service.Requests);
    }

    [Fact]
    public async Task Through_an_http_client_of_your_own_a_cut_off_answer_is_still_a_typed_error()
    {
        await using var service = new LoopbackService((_, _) => LoopbackAnswer.CutOff(JobBody, bytesSent: 40));
        var options = Options(service.Address);
        var http = new HttpClient(new TryOnAuthenticationHandler(options) { InnerHandler = new SocketsHttpHandler() });
        var client = new TryOnClient(http, options);

        await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => client.SubmitAsync(TestOptions.Task()));
        await Assert.ThrowsAsync<TryOnConnectionException>(() => client.QueryAsync("rk-cut"));
    }

    [Fact]
    public async Task A_service_that_is_not_listening_fails_a_submit_as_a_connection_error_after_every_retry()
    {
        // A port that was just free: nothing listens on it.
        using var probe = new TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var attempts = new CountingHandler { InnerHandler = new SocketsHttpHandler() };
        var client = new TryOnClient(Options(new Uri($"http://127.0.0.1:{port}")), attempts);

        var error = await Assert.ThrowsAsync<TryOnConnectionException>(() => client.SubmitAsync(TestOptions.Task()));

        Assert.Equal(4, attempts.Count); // nothing was sent, so the submit was tried again each time
        Assert.Contains("No job was created", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_thousand_clients_built_and_dropped_share_a_bounded_number_of_connections()
    {
        await using var service = new LoopbackService((_, _) => LoopbackAnswer.Json(Json.Job("rk", "RUNNING")));
        var options = Options(service.Address);

        for (var i = 0; i < 1000; i++)
        {
            // Built without DI, used once, dropped: the way a script or a careless service uses it.
            var client = new TryOnClient(options);
            await client.QueryAsync("rk");
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();

        Assert.Equal(1000, service.Requests);
        // One keep-alive connection serves every client, one after the other (a few more if one was closed meanwhile).
        Assert.InRange(service.ConnectionsOpened, 1, 3);
        Assert.InRange(service.ConnectionsOpen, 0, 3);
    }

    [Fact]
    public async Task Clients_built_around_your_own_http_client_share_one_download_transport()
    {
        var image = new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10 };
        await using var storage = new LoopbackService((_, _) => new LoopbackAnswer(200, image, "image/png"));
        var options = Options(storage.Address);
        using var http = new HttpClient(new TryOnAuthenticationHandler(options) { InnerHandler = new SocketsHttpHandler() });

        for (var i = 0; i < 200; i++)
        {
            var client = new TryOnClient(http, options);
            using var destination = new MemoryStream();
            await client.DownloadResultAsync(new Uri(storage.Address, $"/results/{i}.png"), destination);
            Assert.Equal(image, destination.ToArray());
        }

        Assert.Equal(200, storage.Requests);
        Assert.InRange(storage.ConnectionsOpened, 1, 3);
    }

    /// <summary>Counts the attempts that reach the transport.</summary>
    private sealed class CountingHandler : DelegatingHandler
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
