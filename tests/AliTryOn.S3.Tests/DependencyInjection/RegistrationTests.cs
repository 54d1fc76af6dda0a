using AliTryOn.S3.Tests.TestSupport;
using AliTryOn.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AliTryOn.S3.Tests.DependencyInjection;

/// <summary>
/// <c>AddTryOnS3ImageHost</c>: the host of every client or of one named client, bound from configuration or set in
/// code, validated at start, and used by clients registered with <c>AddTryOnClient</c>.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class RegistrationTests(S3rverFixture s3)
{
    private const string Section = "AliTryOn:Images:S3";
    private readonly string _prefix = $"di-tests/{Guid.NewGuid():N}/";

    [Fact]
    public async Task The_conventional_section_configures_the_host_every_client_uses()
    {
        var emulator = FastEmulator.Create();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(Configuration(new()
        {
            ["AliTryOn:Endpoint"] = TryOnEmulator.DefaultBaseAddress.AbsoluteUri,
            ["AliTryOn:AppCode"] = TryOnEmulator.DefaultAppCode,
            ["AliTryOn:Polling:InitialDelay"] = "00:00:00.100",
            [Section + ":BucketName"] = S3rverFixture.BucketName,
            [Section + ":KeyPrefix"] = _prefix,
            [Section + ":ServiceUrl"] = s3.ServiceUrl.AbsoluteUri,
            [Section + ":ForcePathStyle"] = "true",
            [Section + ":AccessKeyId"] = S3rverFixture.AccessKeyId,
            [Section + ":SecretAccessKey"] = S3rverFixture.SecretAccessKey,
        }));
        services.AddTryOnClient().ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler);
        services.AddTryOnS3ImageHost();
        TryOnImageHost resolved;
        await using (var provider = services.BuildServiceProvider())
        {
            resolved = provider.GetRequiredService<TryOnImageHost>();
            var host = Assert.IsType<S3ImageHost>(resolved);
            Assert.Equal(_prefix, host.KeyPrefix);
            Assert.Same(resolved, provider.GetRequiredService<TryOnImageHost>());

            var done = await provider.GetRequiredService<TryOnClient>().SubmitAndWaitAsync(FastEmulator.TaskWith(Pngs.Next()));

            Assert.True(done.HasCompleted);
            Assert.All(FastEmulator.SubmittedImageUrls(emulator), url => Assert.StartsWith(_prefix, S3rverFixture.ObjectKeyOf(url), StringComparison.Ordinal));
            Assert.Empty(await s3.ListAsync(_prefix));
        }

        // The container disposed the host, and with it the S3 client the host created.
        await Assert.ThrowsAsync<ObjectDisposedException>(() => resolved.PublishAsync(new("a/b.png", Pngs.Next(), "image/png", DateTimeOffset.UtcNow.AddHours(1))));
    }

    [Fact]
    public async Task A_host_registered_for_a_client_name_serves_that_client_only()
    {
        var emulator = FastEmulator.Create();
        var services = new ServiceCollection();
        void Client(TryOnClientOptions options)
        {
            options.Endpoint = TryOnEmulator.DefaultBaseAddress;
            options.AppCode = TryOnEmulator.DefaultAppCode;
            options.Polling.InitialDelay = TimeSpan.FromMilliseconds(100);
        }

        services.AddTryOnClient(Client).ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler);
        services.AddTryOnClient("shop", Client).ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler);
        services.AddTryOnS3ImageHost("shop", options =>
        {
            options.BucketName = S3rverFixture.BucketName;
            options.KeyPrefix = _prefix + "shop/";
            options.ServiceUrl = s3.ServiceUrl;
            options.ForcePathStyle = true;
            options.AccessKeyId = S3rverFixture.AccessKeyId;
            options.SecretAccessKey = S3rverFixture.SecretAccessKey;
        });
        await using var provider = services.BuildServiceProvider();

        Assert.Null(provider.GetService<TryOnImageHost>());
        Assert.IsType<S3ImageHost>(provider.GetRequiredKeyedService<TryOnImageHost>("shop"));
        var done = await provider.GetRequiredKeyedService<TryOnClient>("shop").SubmitAndWaitAsync(FastEmulator.TaskWith(Pngs.Next()));
        Assert.True(done.HasCompleted);
        Assert.All(FastEmulator.SubmittedImageUrls(emulator), url => Assert.StartsWith(_prefix + "shop/", S3rverFixture.ObjectKeyOf(url), StringComparison.Ordinal));

        var unhosted = await Assert.ThrowsAsync<TryOnImageCheckException>(() => provider.GetRequiredService<TryOnClient>().SubmitAsync(FastEmulator.TaskWith(Pngs.Next())));
        Assert.Equal(TryOnImageProblem.NoImageHost, unhosted.Problem);
    }

    [Fact]
    public async Task Invalid_settings_stop_the_app_at_start_naming_each_configuration_key()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [Section + ":BucketName"] = "Tryon_Images",
            [Section + ":KeyPrefix"] = "/images/",
            [Section + ":ServiceUrl"] = "http://storage.example.com:9000",
            [Section + ":Region"] = "cn hangzhou",
            [Section + ":AccessKeyId"] = "AKID-only",
        });
        builder.Services.AddTryOnS3ImageHost();
        using var app = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Collection(
            failure.Failures,
            f => Assert.StartsWith($"Configuration key '{Section}:BucketName' (environment variable AliTryOn__Images__S3__BucketName) has the value 'Tryon_Images', which is not a bucket name", f, StringComparison.Ordinal),
            f => Assert.StartsWith($"Configuration key '{Section}:KeyPrefix' (environment variable AliTryOn__Images__S3__KeyPrefix) has the value '/images/', which starts with '/'", f, StringComparison.Ordinal),
            f => Assert.StartsWith($"Configuration key '{Section}:ServiceUrl' (environment variable AliTryOn__Images__S3__ServiceUrl) is plain http (http://storage.example.com:9000)", f, StringComparison.Ordinal),
            f => Assert.StartsWith($"Configuration key '{Section}:Region' (environment variable AliTryOn__Images__S3__Region) has the value 'cn hangzhou'", f, StringComparison.Ordinal),
            f => Assert.StartsWith($"Configuration key '{Section}:SecretAccessKey' (environment variable AliTryOn__Images__S3__SecretAccessKey) is required when AccessKeyId is set", f, StringComparison.Ordinal));
    }

    [Fact]
    public void Without_configuration_the_missing_bucket_is_named_by_its_conventional_key()
    {
        var services = new ServiceCollection();
        services.AddTryOnS3ImageHost();
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<TryOnImageHost>());

        Assert.Equal($"Configuration key '{Section}:BucketName' (environment variable AliTryOn__Images__S3__BucketName) is required: the bucket the images are stored in (it must exist).", Assert.Single(failure.Failures));
    }

    [Fact]
    public void Values_that_do_not_parse_are_reported_with_their_keys()
    {
        var services = new ServiceCollection();
        services.AddTryOnS3ImageHost(Configuration(new()
        {
            ["Storage:BucketName"] = "images",
            ["Storage:ForcePathStyle"] = "yes",
            ["Storage:ServiceUrl"] = "https://[oss",
        }).GetSection("Storage"));
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<TryOnImageHost>());

        Assert.Equal(
            [
                "Configuration key 'Storage:ServiceUrl' (environment variable Storage__ServiceUrl) has the value 'https://[oss', which is not a URL such as https://s3.oss-cn-hangzhou.aliyuncs.com.",
                "Configuration key 'Storage:ForcePathStyle' (environment variable Storage__ForcePathStyle) has the value 'yes', which is not true or false.",
            ],
            failure.Failures);
    }

    [Fact]
    public void A_misspelt_key_is_refused_naming_the_setting_it_meant_and_no_credential()
    {
        // Left to the default, a misspelt ForcePathStyle sends every upload to a virtual-hosted bucket name MinIO refuses.
        var services = new ServiceCollection();
        services.AddTryOnS3ImageHost(Configuration(new()
        {
            [Section + ":BucketName"] = "images",
            [Section + ":ForcePathStile"] = "true",
            [Section + ":SecretAccessKey:wJalrXUtnFEMI"] = "x",
        }).GetSection(Section));
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<TryOnImageHost>());

        Assert.Equal(
            [
                "Configuration key 'AliTryOn:Images:S3:ForcePathStile' (environment variable AliTryOn__Images__S3__ForcePathStile) is not a setting of the S3 image host; did you mean Configuration key 'AliTryOn:Images:S3:ForcePathStyle' (environment variable AliTryOn__Images__S3__ForcePathStyle)?",
                "Configuration key 'AliTryOn:Images:S3:SecretAccessKey' (environment variable AliTryOn__Images__S3__SecretAccessKey) has settings below it (their names are not shown: one may hold the credential); SecretAccessKey takes a value of its own, not a section.",
            ],
            failure.Failures);
        Assert.DoesNotContain("wJalrXUtnFEMI", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfiguration_refuses_a_key_no_setting_reads()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => S3ImageHostOptions.FromConfiguration(Configuration(new()
        {
            ["Storage:BucketName"] = "images",
            ["Storage:Endpoint"] = "https://s3.oss-cn-hangzhou.aliyuncs.com",
        }).GetSection("Storage")));

        Assert.Equal(
            "Configuration key 'Storage:Endpoint' (environment variable Storage__Endpoint) is not a setting of the S3 image host, which reads BucketName, KeyPrefix, ServiceUrl, Region, ForcePathStyle, AllowInsecureHttp, AccessKeyId, SecretAccessKey.",
            Assert.Single(failure.Failures));
    }

    [Fact]
    public void A_host_bound_from_its_own_section_inside_the_client_s_is_not_a_key_of_the_client()
    {
        // "AliTryOn": { "Endpoint": …, "S3": { "BucketName": … } }, the host given that section.
        var configuration = Configuration(new()
        {
            ["AliTryOn:Endpoint"] = "https://tryon.example.test",
            ["AliTryOn:AppCode"] = "0123456789abcdef0123456789abcdef",
            ["AliTryOn:S3:BucketName"] = "photos",
            ["AliTryOn:S3:Region"] = "us-east-1",
        });
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddTryOnClient();
        services.AddTryOnS3ImageHost(configuration.GetSection("AliTryOn:S3"));
        using var provider = services.BuildServiceProvider();

        Assert.Equal("photos", provider.GetRequiredService<IOptionsMonitor<S3ImageHostOptions>>().Get(Options.DefaultName).BucketName);
        Assert.NotNull(provider.GetRequiredService<TryOnClient>());
    }

    [Fact]
    public void A_named_client_s_host_nested_in_the_shared_host_s_section_is_not_a_key_of_the_shared_host()
    {
        var configuration = Configuration(new()
        {
            [Section + ":BucketName"] = "photos",
            [Section + ":Region"] = "us-east-1",
            [Section + ":Eu:BucketName"] = "photos-eu",
            [Section + ":Eu:Region"] = "eu-central-1",
            [Section + ":Eu:ForcePathStile"] = "true",
        });
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddTryOnS3ImageHost();
        services.AddTryOnS3ImageHost("eu", configuration.GetSection(Section + ":Eu"));
        using var provider = services.BuildServiceProvider();

        var monitor = provider.GetRequiredService<IOptionsMonitor<S3ImageHostOptions>>();
        Assert.Equal("photos", monitor.Get(Options.DefaultName).BucketName);
        // The nested host's own keys are still its to check.
        var failure = Assert.Throws<OptionsValidationException>(() => monitor.Get("eu"));
        Assert.StartsWith($"Configuration key '{Section}:Eu:ForcePathStile' ", Assert.Single(failure.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeat_registration_adds_its_settings_to_the_one_host()
    {
        var services = new ServiceCollection();
        services.AddTryOnS3ImageHost(options =>
        {
            options.BucketName = "first-bucket";
            options.Region = "eu-central-1";
        });
        services.AddTryOnS3ImageHost(options => options.KeyPrefix = "second/");
        using var provider = services.BuildServiceProvider();

        Assert.Single(services, static d => d.ServiceType == typeof(TryOnImageHost));
        var host = Assert.IsType<S3ImageHost>(provider.GetRequiredService<TryOnImageHost>());
        Assert.Equal("first-bucket", host.BucketName);
        Assert.Equal("second/", host.KeyPrefix);
    }

    [Fact]
    public void FromConfiguration_reads_every_setting_for_setups_without_dependency_injection()
    {
        var options = S3ImageHostOptions.FromConfiguration(Configuration(new()
        {
            [Section + ":BucketName"] = "images",
            [Section + ":KeyPrefix"] = string.Empty,
            [Section + ":ServiceUrl"] = "https://s3.oss-cn-hangzhou.aliyuncs.com",
            [Section + ":Region"] = "cn-hangzhou",
            [Section + ":ForcePathStyle"] = "false",
            [Section + ":AllowInsecureHttp"] = "True",
            [Section + ":AccessKeyId"] = "LTAI-example",
            [Section + ":SecretAccessKey"] = "example-secret",
        }).GetSection(Section));

        Assert.Equal("images", options.BucketName);
        Assert.Equal(string.Empty, options.KeyPrefix);
        Assert.Equal(new Uri("https://s3.oss-cn-hangzhou.aliyuncs.com"), options.ServiceUrl);
        Assert.Equal("cn-hangzhou", options.Region);
        Assert.False(options.ForcePathStyle);
        Assert.True(options.AllowInsecureHttp);
        Assert.Equal("LTAI-example", options.AccessKeyId);
        Assert.Equal("example-secret", options.SecretAccessKey);
        using var host = S3ImageHost.Create(options);
        Assert.Equal("S3ImageHost { Endpoint = https://s3.oss-cn-hangzhou.aliyuncs.com, BucketName = images, KeyPrefix =  }", host.ToString());
    }

    private static IConfigurationRoot Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
