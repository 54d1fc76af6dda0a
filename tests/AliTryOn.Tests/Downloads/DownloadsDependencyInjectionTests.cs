using System.Net;
using AliTryOn.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using static AliTryOn.Tests.Downloads.StorageAnswers;

namespace AliTryOn.Tests.Downloads;

/// <summary>
/// With <c>AddTryOnClient</c>, downloads go through a second named client: the same time limits and retries, no
/// authentication, and a guard that strips credentials an app-wide handler adds.
/// </summary>
public class DownloadsDependencyInjectionTests
{
    [Fact]
    public async Task Downloads_use_a_client_of_their_own_that_retries_and_never_sends_a_credential()
    {
        var downloadsSeen = 0;
        var transport = new RecordingHandler((request, _) => request.Uri.Host switch
        {
            "results.storage.test" when Interlocked.Increment(ref downloadsSeen) == 1 => StorageError(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "busy"),
            "results.storage.test" => Ok(Image(64), "image/jpeg"),
            _ => RecordingHandler.Response(HttpStatusCode.OK, Json.Job("rk", "SUCCESS")),
        });
        var services = new ServiceCollection();
        // An app-wide handler that puts credentials on every request of every client, and the test transport.
        services.ConfigureHttpClientDefaults(b => b
            .AddHttpMessageHandler(() => new CredentialStamp())
            .ConfigurePrimaryHttpMessageHandler(() => transport));
        services.AddTryOnClient(o => Configure(o, TestOptions.AppCode));
        services.AddTryOnClient("eu", o => Configure(o, TestOptions.AppCode + "-eu"));
        await using var provider = services.BuildServiceProvider();

        foreach (var client in new[] { provider.GetRequiredService<TryOnClient>(), provider.GetRequiredKeyedService<TryOnClient>("eu") })
        {
            await client.QueryAsync("rk");
            using var destination = new MemoryStream();
            var downloaded = await client.DownloadResultAsync(new Uri(Link), destination);
            Assert.Equal(new TryOnDownloadedImage("image/jpeg", 64), downloaded);
        }

        var downloads = transport.Requests.Where(r => r.Uri.Host == "results.storage.test").ToArray();
        Assert.Equal(3, downloads.Length); // the first answer was a 503, retried
        Assert.All(downloads, request =>
        {
            Assert.DoesNotContain(request.Headers.Keys, h => h.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(request.Headers.Keys, h => h.StartsWith("X-Ca-", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(request.Headers.Values.SelectMany(v => v), v => v.Contains(TestOptions.AppCode, StringComparison.Ordinal));
        });

        // The service's calls still carry the AppCode and a nonce.
        var queries = transport.Requests.Where(r => r.Uri.Host != "results.storage.test").ToArray();
        Assert.Equal(2, queries.Length);
        Assert.All(queries, q => Assert.Contains(q.Header("Authorization"), v => v.StartsWith("APPCODE " + TestOptions.AppCode, StringComparison.Ordinal)));
        Assert.All(queries, q => Assert.NotEmpty(q.Header("X-Ca-Nonce")));
    }

    private static void Configure(TryOnClientOptions options, string appCode)
    {
        options.Endpoint = new Uri(TestOptions.Endpoint);
        options.AppCode = appCode;
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(2);
    }

    /// <summary>What a careless app-wide handler might do: credentials on every request.</summary>
    private sealed class CredentialStamp : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("X-Ca-Stage", "RELEASE");
            request.Headers.TryAddWithoutValidation("X-Ca-Key", "app-wide-key");
            if (request.Headers.Authorization is null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer app-wide-token");
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
