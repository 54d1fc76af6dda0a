using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AliTryOn.AspNetCore.Tests;

/// <summary>The signing key shows nowhere: not in ToString, not in an exception, not in any log at Trace.</summary>
public sealed class SecretLeakTests
{
    private const string SigningKey = "LEAK-CANARY-signing-key-7f3a9c2e5b1d8f4a6c0e";

    [Fact]
    public void Signing_key_is_not_in_ToString_of_options_or_host()
    {
        var options = new AppImageHostOptions { PublicBaseUrl = new Uri("https://shop.example.test/"), SigningKey = SigningKey };
        var host = new AppImageHost(options, AppServer.NewMemoryCache());

        Assert.Equal("AppImageHostOptions { PublicBaseUrl = https://shop.example.test/, SigningKey = (set, hidden), Path = /tryon-images, FolderPath = (not set) }", options.ToString());
        Assert.DoesNotContain(SigningKey, options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(SigningKey, host.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("LEAK-CANARY", host.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Signing_key_is_not_in_exception_messages()
    {
        var tooShort = "LEAK-CANARY-short-key";
        var messages = new List<string>
        {
            Assert.Throws<ArgumentException>(() => new AppImageHost(new AppImageHostOptions { PublicBaseUrl = new Uri("https://shop.example.test/"), SigningKey = tooShort })).ToString(),
            // Valid key, other settings wrong: the message lists them without the key.
            Assert.Throws<ArgumentException>(() => new AppImageHost(new AppImageHostOptions { SigningKey = SigningKey, Path = "bad" })).ToString(),
            Assert.Throws<InvalidOperationException>(() => new AppImageHost(new AppImageHostOptions { PublicBaseUrl = new Uri("https://shop.example.test/"), SigningKey = SigningKey })).ToString(),
        };

        var services = new ServiceCollection();
        services.AddTryOnAppImageHost(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AliTryOn:Images:App:PublicBaseUrl"] = "ftp://shop.example.test/",
            ["AliTryOn:Images:App:SigningKey"] = tooShort,
        }).Build());
        using var provider = services.BuildServiceProvider();
        messages.Add(Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<AppImageHost>()).ToString());

        Assert.All(messages, message => Assert.DoesNotContain("LEAK-CANARY", message, StringComparison.Ordinal));
        Assert.Contains(messages, message => message.Contains("SigningKey is too short", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Signing_key_is_not_in_any_log_at_Trace_and_signatures_are_not_in_the_hosts_logs()
    {
        await using var server = await AppServer.StartAsync(new AppServerSettings { SigningKey = SigningKey });
        using var http = server.CreateClient();

        var (upload, url) = await server.PublishAsync();
        using (var served = await http.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        using (var forbidden = await http.GetAsync(new Uri(url.GetLeftPart(UriPartial.Path) + "?expires=1&sig=AAAA")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        await server.Host.DeleteAsync(upload.Key);
        using (var gone = await http.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        var signature = System.Web.HttpUtility.ParseQueryString(url.Query)["sig"]!;
        var entries = server.Logs.Entries;
        Assert.Contains(entries, entry => entry.EventId.Id == 5001);
        Assert.Contains(entries, entry => entry.EventId.Id == 5003);
        Assert.Contains(entries, entry => entry.EventId.Id == 5004);
        Assert.All(entries, entry => Assert.DoesNotContain("LEAK-CANARY", entry.Text, StringComparison.Ordinal));
        Assert.All(
            entries.Where(entry => entry.Category.StartsWith("AliTryOn", StringComparison.Ordinal)),
            entry => Assert.DoesNotContain(signature, entry.Text, StringComparison.Ordinal));
    }
}
