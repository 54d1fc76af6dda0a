using AliTryOn.Client;
using AliTryOn.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AliTryOn.Tests.Client;

/// <summary>
/// The options' check at the edges of what it accepts: each limit itself is taken, one step past it is refused, and
/// each failure is reported once, in its own words.
/// </summary>
public class OptionsBoundaryTests
{
    private static List<string> Failures(Action<TryOnClientOptions> change) =>
        TryOnClientOptionsValidator.GetFailures(TestOptions.Create(change), OptionKeys.Code);

    public static TheoryData<string, Action<TryOnClientOptions>> Limits => new()
    {
        { "elapsed ratio of one", o => o.Polling.ElapsedRatio = 1 },
        { "no jitter", o => o.Polling.JitterRatio = 0 },
        { "a hundred failed queries", o => o.Polling.MaxConsecutiveFailedQueries = 100 },
        { "no failed query", o => o.Polling.MaxConsecutiveFailedQueries = 0 },
        { "delays of a day", o => { o.Retry.BaseDelay = TimeSpan.FromDays(1); o.Retry.MaxDelay = TimeSpan.FromDays(1); } },
        { "no retry-after", o => o.Retry.MaxRetryAfter = TimeSpan.Zero },
        { "links of a minute for a wait of a minute", o => { o.Images.UrlLifetime = TimeSpan.FromMinutes(1); o.Polling.Timeout = TimeSpan.FromMinutes(1); } },
        { "links of seven days", o => o.Images.UrlLifetime = TimeSpan.FromDays(7) },
        { "links as long as the wait", o => { o.Images.UrlLifetime = TimeSpan.FromHours(2); o.Polling.Timeout = TimeSpan.FromHours(2); } },
        { "images of one byte", o => o.Images.MaxBytes = 1 },
        { "images of 100 MiB", o => o.Images.MaxBytes = 100 * 1024 * 1024 },
        { "an appcode with the last printable character", o => o.AppCode = "abc~def" },
        { "an appcode with the first printable character after the space", o => o.AppCode = "abc!def" },
        { "a path ending like the query's, without its slash", o => o.Endpoint = new Uri("https://tryon.example.test/gw-api/v2/tryon/query") },
        { "a path ending like the submit's, without its slash", o => o.Endpoint = new Uri("https://tryon.example.test/gw-api/v2/tryon/submit") },
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public void Each_limit_itself_is_accepted(string name, Action<TryOnClientOptions> change)
    {
        _ = name;

        Assert.Empty(Failures(change));
        _ = new TryOnClient(TestOptions.Create(change));
    }

    public static TheoryData<string, Action<TryOnClientOptions>, string> PastTheLimits => new()
    {
        { "101 failed queries", o => o.Polling.MaxConsecutiveFailedQueries = 101, "TryOnClientOptions.Polling.MaxConsecutiveFailedQueries must be from 0 to 100." },
        { "negative failed queries", o => o.Polling.MaxConsecutiveFailedQueries = -1, "TryOnClientOptions.Polling.MaxConsecutiveFailedQueries must be from 0 to 100." },
        { "jitter not a number", o => o.Polling.JitterRatio = double.NaN, "TryOnClientOptions.Polling.JitterRatio must be from 0 to below 1." },
        { "rate not a number", o => o.RateLimit.RequestsPerSecond = double.NaN, "TryOnClientOptions.RateLimit.RequestsPerSecond must be a finite number" },
        { "infinite rate", o => o.RateLimit.RequestsPerSecond = double.PositiveInfinity, "TryOnClientOptions.RateLimit.RequestsPerSecond must be a finite number" },
        { "no rate limit options", o => o.RateLimit = null!, "TryOnClientOptions.RateLimit is required." },
        { "no image options", o => o.Images = null!, "TryOnClientOptions.Images is required." },
        { "a cleanup of no name", o => o.Images.Cleanup = (TryOnImageCleanup)7, "TryOnClientOptions.Images.Cleanup must be DeleteAfterCompletion or Keep." },
        { "images of no byte", o => o.Images.MaxBytes = 0, "TryOnClientOptions.Images.MaxBytes must be from 1 to 104857600 (100 MiB)." },
        { "images over 100 MiB", o => o.Images.MaxBytes = (100 * 1024 * 1024) + 1, "TryOnClientOptions.Images.MaxBytes must be from 1 to 104857600 (100 MiB)." },
        { "a wait of no time", o => o.Polling.Timeout = TimeSpan.Zero, "TryOnClientOptions.Polling.Timeout must be positive, or infinite" },
        { "an appcode starting with a space", o => o.AppCode = " 0123456789abcdef", "TryOnClientOptions.AppCode contains whitespace, control or non-ASCII characters" },
        { "an appcode with a delete character", o => o.AppCode = "abc\u007fdef", "TryOnClientOptions.AppCode contains whitespace, control or non-ASCII characters" },
        // One failure for the address, the first that applies: the rest of its checks would only say it again.
        { "user information and a query", o => o.Endpoint = new Uri("https://user:pw@tryon.example.test/?token=x"), "TryOnClientOptions.Endpoint must not contain user information" },
        { "plain http with a query", o => o.Endpoint = new Uri("http://tryon.example.test/?token=x"), "TryOnClientOptions.Endpoint must not contain a query" },
    };

    [Theory]
    [MemberData(nameof(PastTheLimits))]
    public void One_step_past_each_limit_is_refused_once_in_its_own_words(string name, Action<TryOnClientOptions> change, string message)
    {
        _ = name;

        var failure = Assert.Single(Failures(change));
        Assert.StartsWith(message, failure, StringComparison.Ordinal);
        var error = Assert.Throws<ArgumentException>("options", () => new TryOnClient(TestOptions.Create(change)));
        Assert.StartsWith("Invalid TryOnClientOptions: " + failure, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_options_at_all_is_an_argument_null_exception()
    {
        Assert.Throws<ArgumentNullException>("options", () => new TryOnClient((TryOnClientOptions)null!));
    }

    [Fact]
    public void The_validator_checks_its_own_client_s_options_only_and_passes_valid_ones()
    {
        var validator = new TryOnClientOptionsValidator("eu", OptionKeys.Code);

        Assert.True(validator.Validate("eu", TestOptions.Create()).Succeeded);
        Assert.True(validator.Validate("cn", new TryOnClientOptions()).Skipped);
        Assert.True(validator.Validate("eu", new TryOnClientOptions()).Failed);
    }

    [Fact]
    public void Settings_made_in_code_before_the_registration_stay_when_the_section_does_not_set_them()
    {
        // The section binds only what it holds: a credential, a part of the settings set earlier are not taken away.
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AliTryOn:Endpoint"] = TestOptions.Endpoint,
        }).Build());
        services.Configure<TryOnClientOptions>(o =>
        {
            o.AppKey = "app-key";
            o.AppSecret = "app-secret";
            o.Retry.MaxRetries = 1;
            o.RateLimit.RequestsPerSecond = 2;
            o.Polling.ElapsedRatio = 0.5;
            o.Images.CheckUrls = true;
        });
        services.AddTryOnClient();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<TryOnClientOptions>>().CurrentValue;

        Assert.Equal(("app-key", "app-secret", 1, 2.0, 0.5, true), (options.AppKey, options.AppSecret, options.Retry.MaxRetries, options.RateLimit.RequestsPerSecond, options.Polling.ElapsedRatio, options.Images.CheckUrls));
        Assert.NotNull(provider.GetRequiredService<TryOnClient>());
    }

    [Fact]
    public void The_section_s_credentials_win_over_those_set_in_code_before_the_registration()
    {
        // A rotated credential in configuration must reach the client, whatever an earlier Configure set.
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AliTryOn:Endpoint"] = TestOptions.Endpoint,
            ["AliTryOn:AppCode"] = TestOptions.AppCode,
            ["AliTryOn:AppKey"] = "configured-key",
            ["AliTryOn:AppSecret"] = "configured-secret",
        }).Build());
        services.Configure<TryOnClientOptions>(o => (o.AppCode, o.AppKey, o.AppSecret) = ("code-before", "key-before", "secret-before"));
        services.AddTryOnClient();
        using var provider = services.BuildServiceProvider();

        // Both modes set: the options are applied without their validation, which would refuse that.
        var bound = new TryOnClientOptions();
        foreach (var configure in provider.GetServices<IConfigureOptions<TryOnClientOptions>>())
        {
            configure.Configure(bound);
        }

        Assert.Equal((TestOptions.AppCode, "configured-key", "configured-secret"), (bound.AppCode, bound.AppKey, bound.AppSecret));
    }

    [Fact]
    public void An_appcode_set_in_code_before_the_registration_stays_when_the_section_does_not_set_it()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AliTryOn:Endpoint"] = TestOptions.Endpoint,
        }).Build());
        services.Configure<TryOnClientOptions>(o => o.AppCode = TestOptions.AppCode);
        services.AddTryOnClient();
        using var provider = services.BuildServiceProvider();

        Assert.Equal(TestOptions.AppCode, provider.GetRequiredService<IOptionsMonitor<TryOnClientOptions>>().CurrentValue.AppCode);
    }

    [Theory]
    [InlineData("AliTryOn:AllowInsecureHttp", "yes", "true or false")]
    [InlineData("AliTryOn:Images:CheckUrls", "maybe", "true or false")]
    [InlineData("AliTryOn:Endpoint", "https://[tryon", "a URI such as https://your-api-domain")]
    public void A_value_that_does_not_parse_is_named_with_what_was_expected(string key, string value, string expected)
    {
        var error = Refused(key, value);

        Assert.Equal(
            $"Configuration key '{key}' (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}) has the value '{value}', which is not {expected}.",
            Assert.Single(error.Failures));
    }

    [Fact]
    public void A_malformed_endpoint_is_named_without_the_password_in_it()
    {
        var error = Refused("AliTryOn:Endpoint", "https://admin:pa55word@[tryon");

        Assert.StartsWith("Configuration key 'AliTryOn:Endpoint' (environment variable AliTryOn__Endpoint) has the value '", Assert.Single(error.Failures), StringComparison.Ordinal);
        Assert.DoesNotContain("pa55word", error.Message, StringComparison.Ordinal);
    }

    private static OptionsValidationException Refused(string key, string value)
    {
        var settings = new Dictionary<string, string?> { ["AliTryOn:Endpoint"] = TestOptions.Endpoint, ["AliTryOn:AppCode"] = TestOptions.AppCode, [key] = value };
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddTryOnClient();
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<TryOnClient>());
    }
}
