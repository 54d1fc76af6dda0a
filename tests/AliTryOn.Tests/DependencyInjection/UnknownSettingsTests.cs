using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AliTryOn.Tests.DependencyInjection;

/// <summary>
/// A key in the client's section that no setting reads (misspelt, or in the wrong place) is refused, naming it and the
/// setting it most likely meant, rather than leaving that setting at its default without a word.
/// </summary>
public class UnknownSettingsTests
{
    private static Dictionary<string, string?> Valid(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AliTryOn:Endpoint"] = "https://tryon.example.test",
            ["AliTryOn:AppCode"] = TestSupport.TestOptions.AppCode,
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings, Action<IServiceCollection, IConfiguration>? register = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        if (register is null)
        {
            services.AddTryOnClient();
        }
        else
        {
            register(services, configuration);
        }

        return services.BuildServiceProvider();
    }

    private static OptionsValidationException Refused(Dictionary<string, string?> settings) =>
        Assert.Throws<OptionsValidationException>(() => Provider(settings).GetRequiredService<TryOnClient>());

    [Theory]
    [InlineData("AliTryOn:Retry:MaxRetrys", "3", "AliTryOn:Retry:MaxRetries")]
    [InlineData("AliTryOn:TotalTimout", "00:05:00", "AliTryOn:TotalTimeout")]
    [InlineData("AliTryOn:Poling:Timeout", "00:05:00", "AliTryOn:Polling:Timeout")]
    [InlineData("AliTryOn:RateLimits:RequestsPerSecond", "2", "AliTryOn:RateLimit:RequestsPerSecond")]
    [InlineData("AliTryOn:RequestsPerSecond", "2", "AliTryOn:RateLimit:RequestsPerSecond")]
    [InlineData("AliTryOn:Images:MaxByte", "1000000", "AliTryOn:Images:MaxBytes")]
    [InlineData("AliTryOn:ApCode", "x", "AliTryOn:AppCode")]
    [InlineData("AliTryOn:Retry", "3", "AliTryOn:Retry:MaxRetries")] // a value given to a part of the settings
    [InlineData("AliTryOn:RateLimit:Rediss", "localhost", "AliTryOn:RateLimit:Redis")]
    public void A_misspelt_or_misplaced_key_is_refused_naming_the_setting_it_meant(string key, string value, string meant)
    {
        var error = Refused(Valid((key, value)));

        var failure = Assert.Single(error.Failures);
        Assert.Equal(
            $"Configuration key '{key}' (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}) is not a setting of the try-on client; "
            + $"did you mean Configuration key '{meant}' (environment variable {meant.Replace(":", "__", StringComparison.Ordinal)})?",
            failure);
    }

    [Fact]
    public void A_key_like_no_setting_is_refused_listing_the_settings_of_its_section()
    {
        var error = Refused(Valid(("AliTryOn:Retry:Attempts", "3")));

        Assert.Equal(
            "Configuration key 'AliTryOn:Retry:Attempts' (environment variable AliTryOn__Retry__Attempts) is not a setting of the try-on client, "
            + "which reads Retry:MaxRetries, Retry:BaseDelay, Retry:MaxDelay, Retry:MaxRetryAfter.",
            Assert.Single(error.Failures));
    }

    [Fact]
    public void A_key_like_no_setting_outside_the_settings_sections_is_refused_listing_the_top_names()
    {
        var error = Refused(Valid(("AliTryOn:ImageHost:Bucket", "photos")));

        Assert.Equal(
            "Configuration key 'AliTryOn:ImageHost:Bucket' (environment variable AliTryOn__ImageHost__Bucket) is not a setting of the try-on client, "
            + "which reads Endpoint, AppCode, AppKey, AppSecret, AllowInsecureHttp, AttemptTimeout, TotalTimeout, Retry:…, RateLimit:…, Polling:…, Images:….",
            Assert.Single(error.Failures));
    }

    [Fact]
    public void Every_unknown_key_is_named_with_the_values_that_do_not_parse()
    {
        var error = Refused(Valid(("AliTryOn:Retry:MaxRetrys", "3"), ("AliTryOn:Polling:Timeout", "300"), ("AliTryOn:TotalTimout", "00:01:00")));

        Assert.Equal(3, error.Failures.Count());
        Assert.Contains(error.Failures, failure => failure.StartsWith("Configuration key 'AliTryOn:Polling:Timeout' (environment variable AliTryOn__Polling__Timeout) has the value '300'", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.StartsWith("Configuration key 'AliTryOn:Retry:MaxRetrys' ", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.StartsWith("Configuration key 'AliTryOn:TotalTimout' ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_key_below_a_credential_is_refused_without_showing_its_name()
    {
        // A command line's "--AliTryOn:AppCode:<code>" (a ':' typed for the '='): the key's name holds the credential.
        const string code = "0123456789abcdef0123456789abcdef";
        var error = Refused(Valid(($"AliTryOn:AppSecret:{code}", "x")));

        var failure = Assert.Single(error.Failures);
        Assert.DoesNotContain(code, failure, StringComparison.Ordinal);
        Assert.DoesNotContain(code, error.Message, StringComparison.Ordinal);
        Assert.Equal(
            "Configuration key 'AliTryOn:AppSecret' (environment variable AliTryOn__AppSecret) has settings below it (their names are not shown: one may hold the credential); AppSecret takes a value of its own, not a section.",
            failure);
    }

    [Theory]
    [InlineData("AliTryOn:Images:S3:BucketName", "photos")]
    [InlineData("AliTryOn:Images:S3:Whatever", "x")]
    [InlineData("AliTryOn:Images:App:SigningKey", "k")]
    [InlineData("AliTryOn:retry:maxretries", "2")]
    [InlineData("AliTryOn:Unknown", "")]
    [InlineData("AliTryOn:Unknown", "   ")]
    [InlineData("Other:Setting", "x")]
    public void The_other_packages_sections_keys_in_another_case_blank_values_and_other_sections_are_taken(string key, string value)
    {
        var client = Provider(Valid((key, value))).GetRequiredService<TryOnClient>();

        Assert.NotNull(client);
    }

    [Fact]
    public void The_command_line_tool_s_redis_setting_without_a_shared_limit_registered_is_refused_saying_how_to_register_one()
    {
        // Read by the tool alone: in an app that registers no shared limit, each instance would send at the whole rate.
        var error = Refused(Valid(("AliTryOn:RateLimit:RequestsPerSecond", "5"), ("AliTryOn:RateLimit:Redis", "localhost:6379")));

        Assert.Equal(
            "Configuration key 'AliTryOn:RateLimit:Redis' (environment variable AliTryOn__RateLimit__Redis) is set, but nothing keeps the rate limit in Redis: "
            + "the command-line tool reads it; an application registers the limit with services.AddTryOnRedisRateLimit(configuration[\"AliTryOn:RateLimit:Redis\"]) (package AliTryOn.Redis), "
            + "or else each instance sends at the whole RateLimit:RequestsPerSecond.",
            Assert.Single(error.Failures));
    }

    [Fact]
    public void The_redis_setting_is_taken_when_a_shared_limit_keeps_the_rate()
    {
        using var provider = Provider(
            Valid(("AliTryOn:RateLimit:RequestsPerSecond", "5"), ("AliTryOn:RateLimit:Redis", "localhost:6379")),
            static (services, _) => services.AddTryOnClient(o => o.RateLimit.Store = new UnaskedStore()));

        Assert.IsType<UnaskedStore>(provider.GetRequiredService<IOptionsMonitor<TryOnClientOptions>>().CurrentValue.RateLimit.Store);
    }

    [Theory]
    [InlineData("ab", "a", 1)]
    [InlineData("a", "ab", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("Retry", "RETRY", 0)]
    [InlineData("", "abc", 3)]
    public void The_distance_counts_letters_inserted_deleted_or_replaced_whatever_their_case(string a, string b, int distance)
    {
        Assert.Equal(distance, AliTryOn.DependencyInjection.UnknownSettings.Distance(a, b));
    }

    [Fact]
    public void Several_unknown_keys_are_named_in_the_order_of_their_keys()
    {
        var error = Refused(Valid(("AliTryOn:Zeta", "1"), ("AliTryOn:Alpha", "1"), ("AliTryOn:Mu", "1")));

        Assert.Equal(
            ["Configuration key 'AliTryOn:Alpha' ", "Configuration key 'AliTryOn:Mu' ", "Configuration key 'AliTryOn:Zeta' "],
            error.Failures.Select(failure => failure[..(failure.IndexOf('(', StringComparison.Ordinal))]));
        Assert.All(error.Failures, failure => Assert.EndsWith(
            "is not a setting of the try-on client, which reads Endpoint, AppCode, AppKey, AppSecret, AllowInsecureHttp, AttemptTimeout, TotalTimeout, Retry:…, RateLimit:…, Polling:…, Images:….",
            failure,
            StringComparison.Ordinal));
    }

    /// <summary>A store no call asks here: what matters is that one is set.</summary>
    private sealed class UnaskedStore : TryOnRateLimitStore
    {
        public override ValueTask<TimeSpan> TryTakeAsync(string limitKey, int permits, TimeSpan window, TimeProvider clock, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }

    [Fact]
    public void A_value_given_to_an_image_host_s_section_itself_is_refused()
    {
        var error = Refused(Valid(("AliTryOn:Images:S3", "my-bucket")));

        Assert.StartsWith("Configuration key 'AliTryOn:Images:S3' (environment variable AliTryOn__Images__S3) is not a setting of the try-on client", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Named_clients_sections_nested_in_another_client_s_section_are_theirs()
    {
        var settings = new Dictionary<string, string?>
        {
            ["TryOn:Endpoint"] = "https://tryon.example.test",
            ["TryOn:AppCode"] = TestSupport.TestOptions.AppCode,
            ["TryOn:Eu:Endpoint"] = "https://eu.tryon.example.test",
            ["TryOn:Eu:AppCode"] = TestSupport.TestOptions.AppCode,
            ["TryOn:Eu:Retry:MaxRetries"] = "1",
        };
        using var provider = Provider(settings, static (services, configuration) =>
        {
            services.AddTryOnClient(configuration.GetSection("TryOn"));
            services.AddTryOnClient("eu", configuration.GetSection("TryOn:Eu"));
        });

        Assert.NotNull(provider.GetRequiredService<TryOnClient>());
        Assert.Equal(1, provider.GetRequiredService<IOptionsMonitor<TryOnClientOptions>>().Get("eu").Retry.MaxRetries);
    }

    [Fact]
    public void A_section_nested_in_a_client_s_that_no_client_was_given_is_still_checked()
    {
        var settings = new Dictionary<string, string?>
        {
            ["TryOn:Endpoint"] = "https://tryon.example.test",
            ["TryOn:AppCode"] = TestSupport.TestOptions.AppCode,
            ["TryOn:Eu:Endpoint"] = "https://eu.tryon.example.test",
        };
        using var provider = Provider(settings, static (services, configuration) => services.AddTryOnClient(configuration.GetSection("TryOn")));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<TryOnClient>());
        Assert.Equal(
            "Configuration key 'TryOn:Eu:Endpoint' (environment variable TryOn__Eu__Endpoint) is not a setting of the try-on client; did you mean Configuration key 'TryOn:Endpoint' (environment variable TryOn__Endpoint)?",
            Assert.Single(error.Failures));
    }

    [Fact]
    public void A_whole_configuration_given_as_the_section_is_not_checked_its_other_keys_are_the_app_s()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Endpoint"] = "https://tryon.example.test",
            ["AppCode"] = TestSupport.TestOptions.AppCode,
            ["Logging:LogLevel:Default"] = "Warning",
            ["AllowedHosts"] = "*",
        };
        using var provider = Provider(settings, static (services, configuration) => services.AddTryOnClient(configuration));

        Assert.Equal(new Uri("https://tryon.example.test"), provider.GetRequiredService<IOptionsMonitor<TryOnClientOptions>>().CurrentValue.Endpoint);
    }

    [Fact]
    public void A_command_line_credential_missing_its_equals_sign_is_not_shown_in_the_refusal()
    {
        // "--AliTryOn:AppCode=<code>" typed without its '=': the key's name is "AppCode<code>", its value the next argument.
        const string code = "0123456789abcdef0123456789abcdef";
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AliTryOn:Endpoint"] = "https://tryon.example.test" })
            .AddCommandLine([$"--AliTryOn:AppCode{code}", "--environment", "Development"])
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddTryOnClient();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<TryOnClient>());

        Assert.DoesNotContain(code, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(
            "Configuration key 'AliTryOn:AppCode' (environment variable AliTryOn__AppCode) is followed in a key's name by more characters (the name is not shown: they may be the credential); write AppCode=<value>.",
            error.Failures);
    }

    [Theory]
    [InlineData("AliTryOn:AppCode12345678", "AppCode")] // eight characters after the name: maybe the credential
    [InlineData("AliTryOn:AppSecretabcdefgh", "AppSecret")]
    public void A_credential_s_name_followed_by_eight_characters_or_more_is_not_shown(string key, string credential)
    {
        var error = Refused(Valid((key, "x")));

        Assert.Equal(
            $"Configuration key 'AliTryOn:{credential}' (environment variable AliTryOn__{credential}) is followed in a key's name by more characters (the name is not shown: they may be the credential); write {credential}=<value>.",
            Assert.Single(error.Failures));
    }

    [Fact]
    public void Json_nulls_empty_objects_and_empty_arrays_are_taken()
    {
        const string json = """
            { "AliTryOn": { "Endpoint": "https://tryon.example.test", "AppCode": "0123456789abcdef0123456789abcdef",
              "Polling": {}, "Retry": null, "Images": { "S3": {}, "App": null }, "Extra": [], "AppKey": null } }
            """;
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddTryOnClient();
        using var provider = services.BuildServiceProvider();

        Assert.NotNull(provider.GetRequiredService<TryOnClient>());
    }

    [Theory]
    [InlineData("TryOn", "TryOn:Eu")]
    [InlineData("AliTryOn", "AliTryOn:Eu")]
    public void A_misspelt_key_of_a_named_client_nested_in_the_default_client_s_section_is_refused(string parent, string nested)
    {
        // The README's layout: the default client at "TryOn", the one named "eu" at "TryOn:Eu". The default's path starts
        // every key of the named one's: skipped, it let them all through.
        var settings = new Dictionary<string, string?>
        {
            [parent + ":Endpoint"] = "https://tryon.example.test",
            [parent + ":AppCode"] = TestSupport.TestOptions.AppCode,
            [nested + ":Endpoint"] = "https://eu.tryon.example.test",
            [nested + ":AppCode"] = TestSupport.TestOptions.AppCode,
            [nested + ":Retry:MaxRetrys"] = "0",
        };
        using var provider = Provider(settings, (services, configuration) =>
        {
            services.AddTryOnClient(configuration.GetSection(parent));
            services.AddTryOnClient("eu", configuration.GetSection(nested));
        });

        Assert.NotNull(provider.GetRequiredService<TryOnClient>());
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredKeyedService<TryOnClient>("eu"));
        Assert.StartsWith($"Configuration key '{nested}:Retry:MaxRetrys' ", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AliTryOn:Timeout", "did you mean one of AttemptTimeout, TotalTimeout, Polling:Timeout, Images:PublishTimeout?")]
    [InlineData("AliTryOn:Retry:Timeout", "did you mean one of AttemptTimeout, TotalTimeout, Polling:Timeout, Images:PublishTimeout?")]
    [InlineData("AliTryOn:MaxDelay", "did you mean one of Retry:MaxDelay, Polling:MaxDelay?")]
    [InlineData("AliTryOn:Polling:Timeot", "did you mean Configuration key 'AliTryOn:Polling:Timeout' (environment variable AliTryOn__Polling__Timeout)?")]
    [InlineData("AliTryOn:Polin:Timeout", "did you mean Configuration key 'AliTryOn:Polling:Timeout' (environment variable AliTryOn__Polling__Timeout)?")] // two letters off: a slip
    [InlineData("AliTryOn:Ries", "did you mean one of Retry:MaxRetries, Polling:MaxConsecutiveFailedQueries?")] // four letters: long enough to end names
    [InlineData("AliTryOn:Out", "which reads Endpoint, AppCode, AppKey, AppSecret, AllowInsecureHttp, AttemptTimeout, TotalTimeout, Retry:…, RateLimit:…, Polling:…, Images:….")] // three: too short
    [InlineData("AliTryOn:AppCodes", "did you mean Configuration key 'AliTryOn:AppCode' (environment variable AliTryOn__AppCode)?")] // a short rest after a credential's name: a misspelling
    public void A_name_that_ends_several_settings_is_answered_with_each_unless_one_is_a_slip_away(string key, string answer)
    {
        // Pointed at Polling:Timeout alone, "Timeout" meant as a call's limit would set the job's wait to seconds.
        var error = Refused(Valid((key, "00:00:20")));

        Assert.EndsWith(answer, Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaxRetrys", "Retry:MaxRetries")]
    [InlineData("retry:maxdelai", "Retry:MaxDelay")]
    [InlineData("Polling:MaxDelai", "Polling:MaxDelay")]
    [InlineData("Cleanup", "Images:Cleanup")]
    [InlineData("Clean", "Images:Cleanup")]
    [InlineData("Attempt", "AttemptTimeout")]
    [InlineData("End", null)] // too short a start to guess from
    [InlineData("Cleanupp:Now", null)]
    [InlineData("AtemptTmeot", "AttemptTimeout")] // three letters off in eleven: at the edge of a third
    [InlineData("AtemptTmeo", null)] // four in ten: past it
    [InlineData("Retr", "Retry:MaxRetries")] // four letters: the shortest start taken as one
    [InlineData("Ret", null)]
    [InlineData("Zzzzzzzz", null)]
    public void The_setting_meant_is_the_one_named_the_same_elsewhere_or_the_nearest_by_spelling(string key, string? meant)
    {
        string[] known = ["Endpoint", "AttemptTimeout", "Retry:MaxRetries", "Retry:MaxDelay", "Polling:MaxDelay", "Images:Cleanup"];

        Assert.Equal(meant, AliTryOn.DependencyInjection.UnknownSettings.Closest(key, known));
    }

    [Fact]
    public void An_endpoint_glued_to_its_key_by_a_missing_equals_sign_does_not_show_the_password_in_the_url()
    {
        // "--AliTryOn:Endpointhttps://user:hunter2secret@tryon.example.test" on a command line, its '=' missing: the
        // configuration key is the URL, password included.
        var error = Refused(Valid(("AliTryOn:Endpointhttps://user:hunter2secret@tryon.example.test", "--urls")));

        Assert.DoesNotContain("hunter2secret", string.Join(" ", error.Failures), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AliTryOn:Endpointhttps://hunter2secret.example.test", "Configuration key 'AliTryOn:Endpoint' (environment variable AliTryOn__Endpoint)")] // a URL, no user information
    [InlineData("AliTryOn:Endpointhunter2secret@tryon.example.test", "Configuration key 'AliTryOn:Endpoint' (environment variable AliTryOn__Endpoint)")] // user information in the name's first part
    [InlineData("AliTryOn://hunter2secret", "A key of the section of the try-on client")]
    public void A_key_with_any_part_of_a_url_in_its_name_is_refused_naming_only_the_setting_it_starts_with(string key, string named)
    {
        var failure = Assert.Single(Refused(Valid((key, "x"))).Failures);

        Assert.Equal(
            named + " is followed in a key's name by what looks like a URL (the name is not shown: it may hold a password); write the setting as Name=<value>.",
            failure);
    }

    [Fact]
    public void A_section_a_package_registers_as_read_elsewhere_is_not_the_client_s_to_check()
    {
        // As AddTryOnS3ImageHost(section) and AddTryOnAppImageHost(section) register theirs.
        var settings = Valid(("AliTryOn:Storage:BucketName", "photos"), ("AliTryOn:Other:BucketName", "photos"));
        using var provider = Provider(settings, static (services, configuration) =>
        {
            services.AddTryOnClient();
            AliTryOn.DependencyInjection.UnknownSettings.ReadElsewhere(services, configuration.GetSection("AliTryOn:Storage"));
            AliTryOn.DependencyInjection.UnknownSettings.ReadElsewhere(services, configuration); // a whole configuration: no section to register
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<TryOnClient>());
        Assert.StartsWith("Configuration key 'AliTryOn:Other:BucketName' ", Assert.Single(error.Failures), StringComparison.Ordinal);
    }
}
