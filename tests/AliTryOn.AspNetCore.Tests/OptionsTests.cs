using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AliTryOn.AspNetCore.Tests;

/// <summary>Binding from configuration without reflection, validation with messages that name the keys, and registration.</summary>
public sealed class OptionsTests
{
    private const string SigningKey = "options-tests-signing-key-0123456789abcdefghij";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Configuration_binds_every_setting_from_the_section_or_the_whole_configuration(bool passSection)
    {
        var configuration = Configuration(new()
        {
            ["AliTryOn:Images:App:PublicBaseUrl"] = "https://shop.example.test/store/",
            ["AliTryOn:Images:App:SigningKey"] = SigningKey,
            ["AliTryOn:Images:App:Path"] = "/media/tryon",
            ["AliTryOn:Images:App:FolderPath"] = "/var/lib/shop/tryon",
        });
        var services = new ServiceCollection().AddDistributedMemoryCache();
        services.AddTryOnAppImageHost(passSection ? configuration.GetSection("AliTryOn:Images:App") : configuration);

        var options = services.BuildServiceProvider().GetRequiredService<IOptions<AppImageHostOptions>>().Value;

        Assert.Equal(new Uri("https://shop.example.test/store/"), options.PublicBaseUrl);
        Assert.Equal(SigningKey, options.SigningKey);
        Assert.Equal("/media/tryon", options.Path);
        Assert.Equal("/var/lib/shop/tryon", options.FolderPath);
    }

    [Fact]
    public void Registration_without_arguments_binds_the_apps_configuration_then_the_code()
    {
        var services = new ServiceCollection().AddDistributedMemoryCache();
        services.AddSingleton<IConfiguration>(Configuration(new()
        {
            ["AliTryOn:Images:App:PublicBaseUrl"] = "https://shop.example.test/",
            ["AliTryOn:Images:App:SigningKey"] = SigningKey,
        }));
        services.AddTryOnAppImageHost(options => options.Path = "/from-code");
        using var provider = services.BuildServiceProvider();

        var host = provider.GetRequiredService<AppImageHost>();

        Assert.Same(host, provider.GetRequiredService<TryOnImageHost>());
        Assert.Equal("AppImageHost { PublicBaseUrl = https://shop.example.test/, Path = /from-code, Storage = IDistributedCache (MemoryDistributedCache) }", host.ToString());
        Assert.Same(TimeProvider.System, host.TimeProvider);
    }

    [Fact]
    public void Missing_settings_are_named_by_their_configuration_keys()
    {
        var services = new ServiceCollection().AddDistributedMemoryCache();
        services.AddTryOnAppImageHost(Configuration(new()).GetSection("AliTryOn:Images:App"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<AppImageHost>());

        Assert.Contains("Configuration key 'AliTryOn:Images:App:PublicBaseUrl' (environment variable AliTryOn__Images__App__PublicBaseUrl) is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("Configuration key 'AliTryOn:Images:App:SigningKey' (environment variable AliTryOn__Images__App__SigningKey) is required", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, Action<AppImageHostOptions>, string> InvalidSettings => new()
    {
        { "relative URL", o => o.PublicBaseUrl = new Uri("/shop", UriKind.Relative), "PublicBaseUrl must be an absolute http or https URL, such as https://shop.example.com/; it is relative." },
        { "ftp URL", o => o.PublicBaseUrl = new Uri("ftp://shop.example.test/"), "its scheme is 'ftp'" },
        { "URL with a query", o => o.PublicBaseUrl = new Uri("https://shop.example.test/?a=1"), "must not have a query or a fragment" },
        { "URL with a user", o => o.PublicBaseUrl = new Uri("https://user:pass@shop.example.test/"), "must not carry a user name or password" },
        { "key of 31 bytes", o => o.SigningKey = new string('k', 31), "SigningKey is too short: it must be at least 32 bytes of UTF-8 text" },
        { "blank key", o => o.SigningKey = "   ", "SigningKey is required" },
        { "path without a slash", o => o.Path = "tryon-images", "Path must be a path such as /tryon-images" },
        { "path with a trailing slash", o => o.Path = "/tryon-images/", "Path must be a path such as /tryon-images" },
        { "path with a dot segment", o => o.Path = "/a/../b", "Path must be a path such as /tryon-images" },
        { "path with a route parameter", o => o.Path = "/{id}", "Path must be a path such as /tryon-images" },
        { "root path", o => o.Path = "/", "Path must be a path such as /tryon-images" },
        { "blank folder", o => o.FolderPath = " ", "FolderPath must be a folder path" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Invalid_settings_in_code_are_named_by_their_properties(string _, Action<AppImageHostOptions> spoil, string expected)
    {
        var options = Valid();
        spoil(options);

        var error = Assert.Throws<ArgumentException>(() => new AppImageHost(options, AppServer.NewMemoryCache()));

        Assert.Contains("AppImageHostOptions.", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Multibyte_key_counts_in_UTF8_bytes()
    {
        var options = Valid();
        options.SigningKey = new string('é', 16); // 16 characters, 32 bytes

        var host = new AppImageHost(options, AppServer.NewMemoryCache());

        Assert.NotNull(host);
    }

    [Fact]
    public async Task Invalid_settings_stop_the_app_before_it_serves()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddDistributedMemoryCache();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AliTryOn:Images:App:PublicBaseUrl"] = "https://shop.example.test/" });
        builder.Services.AddTryOnAppImageHost(builder.Configuration);
        await using var app = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => app.MapTryOnImages());

        Assert.Contains("AliTryOn:Images:App:SigningKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_url_in_configuration_is_named_by_its_key_not_quoted()
    {
        var services = new ServiceCollection().AddDistributedMemoryCache();
        services.AddTryOnAppImageHost(Configuration(new()
        {
            ["AliTryOn:Images:App:PublicBaseUrl"] = "not a url with pa55word",
            ["AliTryOn:Images:App:SigningKey"] = SigningKey,
        }));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<AppImageHost>());

        Assert.Contains("Configuration key 'AliTryOn:Images:App:PublicBaseUrl'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pa55word", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_key_is_refused_naming_the_setting_it_meant()
    {
        // Left unread, a misspelt FolderPath would keep the images in the cache, lost at the next restart.
        var services = new ServiceCollection().AddDistributedMemoryCache();
        services.AddTryOnAppImageHost(Configuration(new()
        {
            ["AliTryOn:Images:App:PublicBaseUrl"] = "https://shop.example.test/",
            ["AliTryOn:Images:App:SigningKey"] = SigningKey,
            ["AliTryOn:Images:App:Folder"] = "/var/lib/shop/tryon",
        }));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<AppImageHost>());

        Assert.Equal(
            "Configuration key 'AliTryOn:Images:App:Folder' (environment variable AliTryOn__Images__App__Folder) is not a setting of the app's image host; did you mean Configuration key 'AliTryOn:Images:App:FolderPath' (environment variable AliTryOn__Images__App__FolderPath)?",
            Assert.Single(error.Failures));
    }

    [Fact]
    public void Missing_cache_says_how_to_add_one()
    {
        var services = new ServiceCollection();
        services.AddTryOnAppImageHost(options =>
        {
            options.PublicBaseUrl = new Uri("https://shop.example.test/");
            options.SigningKey = SigningKey;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<TryOnImageHost>());

        Assert.Contains("services.AddDistributedMemoryCache()", error.Message, StringComparison.Ordinal);
        Assert.Contains("Redis", error.Message, StringComparison.Ordinal);
        Assert.Contains("FolderPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mapping_without_registration_says_what_to_call()
    {
        var builder = WebApplication.CreateSlimBuilder();
        await using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapTryOnImages());

        Assert.Contains("AddTryOnAppImageHost", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_refuses_foreign_keys_mismatched_types_and_past_expiries_and_delete_refuses_foreign_keys()
    {
        var host = new AppImageHost(Valid(), AppServer.NewMemoryCache());
        var png = TestImages.Png(600, 800);
        var key = AppServer.NewKey(png);
        var later = DateTimeOffset.UtcNow.AddHours(1);

        await Assert.ThrowsAsync<ArgumentException>(() => host.PublishAsync(new TryOnImageUpload("../../etc/passwd", png, "image/png", later)));
        await Assert.ThrowsAsync<ArgumentException>(() => host.PublishAsync(new TryOnImageUpload(key, png, "text/html", later)));
        await Assert.ThrowsAsync<ArgumentException>(() => host.PublishAsync(new TryOnImageUpload(key, png, "image/png", DateTimeOffset.UtcNow.AddSeconds(-5))));
        await Assert.ThrowsAsync<ArgumentException>(() => host.DeleteAsync("../../etc/passwd"));
    }

    private static AppImageHostOptions Valid() => new() { PublicBaseUrl = new Uri("https://shop.example.test/"), SigningKey = SigningKey };

    private static IConfigurationRoot Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
