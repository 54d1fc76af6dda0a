using System.Net;
using AliTryOn.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AliTryOn.Tests.Errors;

/// <summary>
/// Data from the service never breaks the caller: a result link that cannot be downloaded is a typed error when the
/// answer is read; an endpoint carrying a password is refused, and never shown.
/// </summary>
public class ServiceDataTests
{
    private const string Password = "SENTINEL-password-93ac";

    [Theory]
    [InlineData("oss://bucket/results/0.png", "uses the scheme 'oss'")]
    [InlineData("/results/0.png?Signature=SECRET-sig", "is not an absolute http or https URL")]
    [InlineData("results 0 png", "is not an absolute http or https URL")]
    [InlineData("https://user:" + Password + "@storage.example.test/0.png", "carries user information")]
    [InlineData("ftp://storage.example.test/0.png", "uses the scheme 'ftp'")]
    public async Task A_result_link_that_cannot_be_downloaded_is_a_typed_error_when_the_job_is_read(string link, string reason)
    {
        var body = $$"""
            {"code":0,"data":{"result_key":"rk-links","task_list":[{"status":"SUCCESS","results":["https://results.example.test/ok.png"]},{"status":"SUCCESS","results":["https://results.example.test/1.png","{{link}}"]}]},"message":"success","requestId":"req-1","success":true}
            """;
        var client = new TryOnClient(TestOptions.Create(), new RecordingHandler(HttpStatusCode.OK, body));

        var error = await Assert.ThrowsAsync<TryOnInvalidResponseException>(() => client.QueryAsync("rk-links"));

        Assert.Contains($"result 1 of task 1 {reason}", error.Message, StringComparison.Ordinal);
        Assert.Equal("rk-links", error.ResultKey);
        Assert.False(error.IsRetryable);
        Assert.DoesNotContain("SECRET-sig", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
        // The raw body would hold every link, the unusable one included.
        Assert.Null(error.Details.RawBody);
        Assert.Equal([1], error.TaskIndices);
        Assert.Equal([new Uri("https://results.example.test/ok.png")], error.Job!.Tasks[0].ResultUrls);
        Assert.Equal([new Uri("https://results.example.test/1.png")], error.Job.Tasks[1].ResultUrls);
    }

    [Fact]
    public async Task A_submit_answered_with_an_unusable_link_is_outcome_unknown_with_the_job_it_names()
    {
        var body = """{"code":0,"data":{"result_key":"rk-made","task_list":[{"status":"SUCCESS","results":["oss://bucket/0.png"]}]},"success":true}""";
        var client = new TryOnClient(TestOptions.Create(), new RecordingHandler(HttpStatusCode.OK, body));

        var error = await Assert.ThrowsAsync<TryOnSubmitOutcomeUnknownException>(() => client.SubmitAsync(TestOptions.Task()));

        Assert.Equal("rk-made", error.ResultKey);
    }

    [Fact]
    public async Task Image_links_in_debug_logs_and_a_redirect_s_location_carry_no_signature_or_password()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var transport = new RecordingHandler((_, _) =>
        {
            var response = RecordingHandler.Response(HttpStatusCode.Found, null);
            response.Headers.Location = new Uri($"https://admin:{Password}@elsewhere.example.test/api?token=SECRET-location");
            return response;
        });
        var client = new TryOnClient(TestOptions.Create(), transport, loggerFactory: loggerFactory);
        var task = new TryOnTask(
            new Uri("https://img.example.test/model.png?X-Amz-Signature=SECRET-image-signature"),
            Upper: new GarmentImage(new Uri($"https://shop:{Password}@img.example.test/top.png"), GarmentKind.FlatLay));

        var error = await Assert.ThrowsAsync<TryOnRedirectException>(() => client.SubmitAsync(task));

        Assert.Equal(new Uri("https://elsewhere.example.test/api"), error.Location);
        var logged = logs.WithId(1101).Single();
        Assert.Equal(new Uri("https://img.example.test/model.png"), logged["ModelImageUrl"]);
        Assert.Equal(new Uri("https://img.example.test/top.png"), logged["UpperUrl"]);
        foreach (var secret in new[] { "SECRET-image-signature", "SECRET-location", Password })
        {
            Assert.DoesNotContain(logs.Messages, m => m.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
        }

        // The service itself still receives the links whole.
        Assert.Contains("SECRET-image-signature", transport.Requests[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_relative_redirect_s_location_keeps_no_query_string()
    {
        var transport = new RecordingHandler((_, _) =>
        {
            var response = RecordingHandler.Response(HttpStatusCode.TemporaryRedirect, null);
            response.Headers.Location = new Uri("/v3/submit?token=SECRET-location", UriKind.Relative);
            return response;
        });
        var client = new TryOnClient(TestOptions.Create(), transport);

        var error = await Assert.ThrowsAsync<TryOnRedirectException>(() => client.QueryAsync("rk"));

        Assert.Equal(new Uri("/v3/submit", UriKind.Relative), error.Location);
    }

    [Fact]
    public async Task A_garbled_redirect_location_is_still_a_typed_error()
    {
        // Found by the response properties: a Location that parses, but not once cut at its '@'.
        var transport = new RecordingHandler((_, _) =>
        {
            var response = RecordingHandler.Response((HttpStatusCode)314, "}");
            response.Headers.TryAddWithoutValidation("Location", ">b\u00e91@E|\u4e2d\u00a04DR]R(J\u00ba{a+bsYaZG:G\u00e9Ir\t&T|i4\u20282\t");
            return response;
        });
        var client = new TryOnClient(TestOptions.Create(), transport);

        var error = await Assert.ThrowsAsync<TryOnRedirectException>(() => client.QueryAsync("rk"));

        Assert.DoesNotContain(">b", error.Location?.OriginalString ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public void An_endpoint_with_user_information_is_refused_by_the_constructor_without_showing_it()
    {
        var options = TestOptions.Create(o => o.Endpoint = new Uri($"https://admin:{Password}@tryon.example.test"));

        var error = Assert.Throws<ArgumentException>(() => new TryOnClient(options));

        Assert.Contains("Endpoint must not contain user information", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, options.ToString(), StringComparison.Ordinal);
        Assert.Contains("https://tryon.example.test/", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_endpoint_with_user_information_stops_a_host_naming_the_key_and_never_the_password()
    {
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection().AddLogging(b => b.AddProvider(logs));
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AliTryOn:Endpoint"] = $"https://admin:{Password}@tryon.example.test",
            ["AliTryOn:AppCode"] = TestOptions.AppCode,
        }).Build());
        services.AddTryOnClient();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<TryOnClient>());

        Assert.Contains("AliTryOn:Endpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains("user information", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(Password, StringComparison.Ordinal));
    }
}
