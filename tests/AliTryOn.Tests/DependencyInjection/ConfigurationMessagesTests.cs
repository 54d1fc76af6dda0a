using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AliTryOn.Tests.DependencyInjection;

/// <summary>Configuration as a first-time user writes it: a placeholder left in, and "infinite" for no time limit.</summary>
public class ConfigurationMessagesTests
{
    private static TryOnClient Resolve(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddTryOnClient();
        return services.BuildServiceProvider().GetRequiredService<TryOnClient>();
    }

    [Fact]
    public void A_placeholder_left_as_the_appcode_says_where_the_real_one_goes()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["AliTryOn:Endpoint"] = "https://tryon.example.test",
            ["AliTryOn:AppCode"] = "set me in user secrets",
        }));

        Assert.Contains("Configuration key 'AliTryOn:AppCode' (environment variable AliTryOn__AppCode) holds a placeholder", error.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet user-secrets set \"AliTryOn:AppCode\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("AliTryOn__AppCode", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("copy-paste", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("set me in user secrets", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_any_configuration_a_missing_appcode_is_named_as_the_code_s_setting()
    {
        // A console app with a bare ServiceCollection: nothing reads AliTryOn__AppCode, so the message must not advise it.
        var services = new ServiceCollection();
        services.AddTryOnClient(o =>
        {
            o.Endpoint = new Uri("https://tryon.example.test");
            o.AppCode = Environment.GetEnvironmentVariable("ALITRYON_TEST_UNSET_VARIABLE");
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.BuildServiceProvider().GetRequiredService<TryOnClient>());

        Assert.Contains("TryOnClientOptions.AppCode is required", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AliTryOn__AppCode", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AliTryOn:Polling:Timeout", "300")]
    [InlineData("AliTryOn:TotalTimeout", "5")]
    [InlineData("AliTryOn:Retry:BaseDelay", "1")]
    [InlineData("AliTryOn:Images:UrlLifetime", "-2")]
    [InlineData("AliTryOn:AttemptTimeout", "0")]
    [InlineData("AliTryOn:Polling:InitialDelay", "9")]
    public void A_bare_number_for_a_duration_is_refused_naming_its_key_not_read_as_days(string key, string value)
    {
        // TimeSpan reads "300" as 300 days: meant as seconds, it failed a check of another setting, or passed as days.
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["AliTryOn:Endpoint"] = "https://tryon.example.test",
            ["AliTryOn:AppCode"] = TestSupport.TestOptions.AppCode,
            [key] = value,
        }));

        var failure = Assert.Single(error.Failures);
        Assert.StartsWith($"Configuration key '{key}' (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}) has the value '{value}', which is not a time span such as ", failure, StringComparison.Ordinal);
        Assert.Contains("a bare number would mean days", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.00:00:00", "10.00:00:00 (10 days)")]
    [InlineData("1.12:00:00", "1.12:00:00 (1.5 days)")]
    [InlineData("1.00:00:00", "1.00:00:00 (1 day)")]
    [InlineData("23:59:59", "23:59:59")]
    public void A_wait_longer_than_the_image_links_is_named_with_both_values(string timeout, string shown)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["AliTryOn:Endpoint"] = "https://tryon.example.test",
            ["AliTryOn:AppCode"] = TestSupport.TestOptions.AppCode,
            ["AliTryOn:Polling:Timeout"] = timeout,
        }));

        Assert.Contains($"(it is 01:00:00, and Polling:Timeout is {shown}: shorten that one, or raise this one, up to 7 days)", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void The_longest_polling_delays_and_the_slowest_rate_are_accepted()
    {
        var services = new ServiceCollection();
        services.AddTryOnClient(o =>
        {
            o.Endpoint = new Uri("https://tryon.example.test");
            o.AppCode = TestSupport.TestOptions.AppCode;
            o.Polling.InitialDelay = TimeSpan.FromDays(24);
            o.Polling.MaxDelay = TimeSpan.FromDays(24);
            o.Polling.Timeout = Timeout.InfiniteTimeSpan;
            o.RateLimit.RequestsPerSecond = 0.00001;
        });

        Assert.NotNull(services.BuildServiceProvider().GetRequiredService<TryOnClient>());
    }

    [Theory]
    [InlineData("00:02:00", "00:02:00")] // equal: an attempt may take the whole call
    [InlineData("infinite", "00:02:00")] // no limit of an attempt's own
    [InlineData("00:05:00", "infinite")]
    [InlineData("infinite", "infinite")]
    [InlineData(null, "00:00:10")] // the default attempt limit under a shorter call's: attempts of at most 10 s, as meant
    public void An_attempt_limit_within_the_call_s_or_either_infinite_is_accepted(string? attempt, string total)
    {
        var client = Resolve(new()
        {
            ["AliTryOn:Endpoint"] = "https://tryon.example.test",
            ["AliTryOn:AppCode"] = TestSupport.TestOptions.AppCode,
            ["AliTryOn:AttemptTimeout"] = attempt,
            ["AliTryOn:TotalTimeout"] = total,
        });

        Assert.NotNull(client);
    }

    [Fact]
    public void An_attempt_limit_above_the_call_s_is_refused_naming_both_keys()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["AliTryOn:Endpoint"] = "https://tryon.example.test",
            ["AliTryOn:AppCode"] = TestSupport.TestOptions.AppCode,
            ["AliTryOn:AttemptTimeout"] = "00:03:00",
        }));

        Assert.Equal(
            "Configuration key 'AliTryOn:AttemptTimeout' (environment variable AliTryOn__AttemptTimeout) must be at most TotalTimeout, the limit of the whole call, which would end every attempt first (it is 00:03:00, and TotalTimeout is 00:02:00): raise TotalTimeout too, or shorten this one.",
            Assert.Single(error.Failures));
    }

    [Fact]
    public void An_http_endpoint_with_an_operation_s_path_is_named_once_for_the_path()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["AliTryOn:Endpoint"] = "http://tryon.example.test/api/v2/tryon/submit",
            ["AliTryOn:AppCode"] = TestSupport.TestOptions.AppCode,
        }));

        Assert.Contains("must be the service's base address", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("infinite")]
    [InlineData("Infinite")]
    [InlineData("-00:00:00.001")]
    public void Infinite_turns_a_time_limit_off_in_configuration(string value)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AliTryOn:Endpoint"] = "https://tryon.example.test",
            ["AliTryOn:AppCode"] = TestSupport.TestOptions.AppCode,
            ["AliTryOn:Polling:Timeout"] = value,
            ["AliTryOn:TotalTimeout"] = value,
            ["AliTryOn:AttemptTimeout"] = value,
        };
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddTryOnClient();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<TryOnClientOptions>>().Get(Options.DefaultName);

        Assert.Equal(Timeout.InfiniteTimeSpan, options.Polling.Timeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, options.TotalTimeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, options.AttemptTimeout);
    }

    [Fact]
    public void A_time_limit_that_is_neither_a_time_span_nor_infinite_names_both()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["AliTryOn:Endpoint"] = "https://tryon.example.test",
            ["AliTryOn:AppCode"] = TestSupport.TestOptions.AppCode,
            ["AliTryOn:Polling:Timeout"] = "forever",
        }));

        Assert.Contains("'AliTryOn:Polling:Timeout'", error.Message, StringComparison.Ordinal);
        Assert.Contains("a time span such as 00:05:00 (hh:mm:ss; a bare number would mean days, so it is not taken), or infinite", error.Message, StringComparison.Ordinal);
    }
}
