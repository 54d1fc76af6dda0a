using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace AliTryOn.Testing.Tests.EndToEnd;

/// <summary>
/// The AppKey/AppSecret signing mode over real HTTP on loopback: what the SDK signs is what the emulator's gateway
/// rebuilds from the request it received (headers as they crossed the network, the path as sent).
/// </summary>
public sealed class SignedKestrelTests(KestrelEmulatorFixture server) : IClassFixture<KestrelEmulatorFixture>
{
    private static readonly TryOnTask[] Tasks =
    [
        new(new Uri("https://img.test/model.png"), Upper: new GarmentImage(new Uri("https://img.test/top.png"), GarmentKind.FlatLay)),
        new(new Uri("https://img.test/model.png"), Lower: new GarmentImage(new Uri("https://img.test/jeans.png"), GarmentKind.WornByModel), InferenceMode: InferenceMode.Quality),
    ];

    [Fact]
    public async Task A_signed_client_submits_waits_and_downloads_over_loopback()
    {
        var client = server.CreateSignedClient();

        var job = await client.SubmitAndWaitAsync(Tasks);

        Assert.True(job.HasCompleted);
        Assert.Equal(2, job.SucceededTasks.Count);
        using var downloads = new HttpClient();
        Assert.Equal(0x89, (await downloads.GetByteArrayAsync(job.ResultUrls[0]))[0]);
        var calls = server.Emulator.Requests.Where(r => r.ResultKey == job.ResultKey && r.Operation != TryOnEmulatorOperation.DownloadResult).ToList();
        Assert.NotEmpty(calls);
        Assert.All(calls, r =>
        {
            Assert.Equal(200, r.Status);
            Assert.Equal(KestrelEmulatorFixture.AppKey, r.Headers["X-Ca-Key"]);
            Assert.False(r.Headers.ContainsKey("Authorization"));
        });
    }

    [Fact]
    public async Task A_wrong_secret_over_http_gets_the_servers_string_to_sign_and_never_reveals_a_secret()
    {
        var client = server.CreateSignedClient(appSecret: "not-the-e2e-secret");

        var error = await Assert.ThrowsAsync<TryOnAuthenticationException>(() => client.SubmitAsync(Tasks[0]));

        Assert.Equal(400, error.Status);
        Assert.Matches(
            "^Invalid Signature, Server StringToSign:`POST#application/json#[A-Za-z0-9+/=]{24}#application/json##x-ca-key:e2e-appkey#x-ca-nonce:\\*\\*\\*#x-ca-signature-method:HmacSHA256#x-ca-timestamp:[0-9]{13}#/api/v2/tryon/submit`$",
            error.Details.GatewayErrorMessage);
        Assert.Contains("Server StringToSign:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-e2e-secret", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(KestrelEmulatorFixture.AppSecret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_a_path_prefix_the_path_is_signed_as_sent()
    {
        var emulator = new TryOnEmulator(new TryOnEmulatorOptions { QueueTime = TimeSpan.Zero, FastDuration = TimeSpan.Zero, QualityDuration = TimeSpan.Zero });
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapTryOnEmulator(emulator, "/emulator");
        await app.StartAsync();
        var endpoint = new Uri(new Uri(app.Urls.Single()), "/emulator/");
        TryOnClient Client(string secret)
        {
            var options = emulator.CreateSignedClientOptions();
            options.Endpoint = endpoint;
            options.AppSecret = secret;
            options.Polling.InitialDelay = TimeSpan.FromMilliseconds(5);
            options.Polling.MaxDelay = TimeSpan.FromMilliseconds(20);
            return new TryOnClient(options);
        }

        var job = await Client(TryOnEmulator.DefaultAppSecret).SubmitAndWaitAsync(Tasks);
        var error = await Assert.ThrowsAsync<TryOnAuthenticationException>(() => Client("wrong-secret").QueryAsync(job.ResultKey));

        Assert.True(job.HasCompleted);
        Assert.EndsWith("#/emulator/api/v2/tryon/query`", error.Details.GatewayErrorMessage, StringComparison.Ordinal);
    }
}
