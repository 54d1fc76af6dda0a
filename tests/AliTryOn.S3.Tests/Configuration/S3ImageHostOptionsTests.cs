using Amazon.Runtime;
using Amazon.S3;

namespace AliTryOn.S3.Tests.Configuration;

/// <summary><see cref="S3ImageHostOptions"/> in code: defaults, validation by <see cref="S3ImageHost"/>, and its text.</summary>
public sealed class S3ImageHostOptionsTests
{
    [Fact]
    public void Defaults_use_the_conventional_prefix_and_aws_addressing()
    {
        var options = new S3ImageHostOptions();

        Assert.Equal("AliTryOn:Images:S3", S3ImageHostOptions.SectionName);
        Assert.Equal("tryon-images/", options.KeyPrefix);
        Assert.Null(options.BucketName);
        Assert.Null(options.ServiceUrl);
        Assert.False(options.ForcePathStyle);
        Assert.False(options.AllowInsecureHttp);
        Assert.Equal(TimeSpan.FromDays(7), S3ImageHost.MaxUrlLifetime);
    }

    [Fact]
    public void Create_names_every_invalid_property()
    {
        var options = new S3ImageHostOptions
        {
            KeyPrefix = "images/../x",
            ServiceUrl = new Uri("https://oss.example.com/bucket?x=1"),
            SecretAccessKey = "secret-only",
        };

        var failure = Assert.Throws<ArgumentException>(() => S3ImageHost.Create(options));

        Assert.Equal("options", failure.ParamName);
        Assert.Equal(
            "Invalid S3ImageHostOptions: "
            + "S3ImageHostOptions.BucketName is required: the bucket the images are stored in (it must exist). "
            + "S3ImageHostOptions.KeyPrefix has the value 'images/../x', with a '..' segment, which URLs would not keep. "
            + "S3ImageHostOptions.ServiceUrl must be the store's address alone, such as https://oss.example.com: no path, query or fragment (the bucket and key make the path). "
            + "S3ImageHostOptions.AccessKeyId is required when SecretAccessKey is set (or set neither, for the AWS SDK's default credentials). (Parameter 'options')",
            failure.Message);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("-images")]
    [InlineData("images-")]
    [InlineData("Images")]
    [InlineData("my_images")]
    [InlineData("my images")]
    public void Bucket_names_follow_the_rules_s3_oss_and_minio_share(string bucketName)
    {
        using var client = new AmazonS3Client(new AnonymousAWSCredentials(), new AmazonS3Config { ServiceURL = "http://127.0.0.1:9/" });

        var failure = Assert.Throws<ArgumentException>(() => new S3ImageHost(client, new S3ImageHostOptions { BucketName = bucketName }));

        Assert.Contains($"S3ImageHostOptions.BucketName has the value '{bucketName}', which is not a bucket name", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9000", false, true)]
    [InlineData("http://localhost:9000", false, true)]
    [InlineData("http://[::1]:9000", false, true)]
    [InlineData("http://minio.internal:9000", false, false)]
    [InlineData("http://minio.internal:9000", true, true)]
    [InlineData("https://s3.oss-cn-hangzhou.aliyuncs.com", false, true)]
    [InlineData("ftp://storage.example.com", true, false)]
    public void Plain_http_needs_a_loopback_address_or_AllowInsecureHttp(string serviceUrl, bool allowInsecureHttp, bool valid)
    {
        var options = new S3ImageHostOptions { BucketName = "images", ServiceUrl = new Uri(serviceUrl), AllowInsecureHttp = allowInsecureHttp, AccessKeyId = "id", SecretAccessKey = "secret" };

        var failure = Record.Exception(() => S3ImageHost.Create(options).Dispose());

        Assert.Equal(valid, failure is null);
    }

    [Fact]
    public void A_service_url_with_a_password_is_refused_without_showing_it()
    {
        var options = new S3ImageHostOptions { BucketName = "images", ServiceUrl = new Uri("https://user:p4ssw0rd@oss.example.com/") };

        var failure = Assert.Throws<ArgumentException>(() => S3ImageHost.Create(options));

        Assert.Contains("S3ImageHostOptions.ServiceUrl has a user name or password in it (not shown)", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("p4ssw0rd", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("p4ssw0rd", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_prefix_is_allowed_and_a_long_one_is_not()
    {
        using var unprefixed = S3ImageHost.Create(new S3ImageHostOptions { BucketName = "images", KeyPrefix = string.Empty, Region = "eu-central-1", AccessKeyId = "id", SecretAccessKey = "secret" });
        Assert.Equal(string.Empty, unprefixed.KeyPrefix);
        Assert.Equal("S3ImageHost { Endpoint = AWS S3 (eu-central-1), BucketName = images, KeyPrefix =  }", unprefixed.ToString());

        var failure = Assert.Throws<ArgumentException>(() => S3ImageHost.Create(new S3ImageHostOptions { BucketName = "images", KeyPrefix = new string('k', 513) }));
        Assert.Contains("S3ImageHostOptions.KeyPrefix is 513 characters long, more than 512", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_lists_the_settings_and_hides_both_keys()
    {
        var options = new S3ImageHostOptions
        {
            BucketName = "images",
            ServiceUrl = new Uri("https://s3.oss-cn-hangzhou.aliyuncs.com"),
            Region = "cn-hangzhou",
            AccessKeyId = "LTAI5tExampleKeyId",
            SecretAccessKey = "ExampleSecretAccessKey",
        };

        Assert.Equal(
            "S3ImageHostOptions { BucketName = images, KeyPrefix = tryon-images/, ServiceUrl = https://s3.oss-cn-hangzhou.aliyuncs.com, Region = cn-hangzhou, ForcePathStyle = False, AllowInsecureHttp = False, AccessKeyId = (set, hidden), SecretAccessKey = (set, hidden) }",
            options.ToString());
        Assert.Equal(
            "S3ImageHostOptions { BucketName = (not set), KeyPrefix = tryon-images/, ServiceUrl = (not set), Region = (not set), ForcePathStyle = False, AllowInsecureHttp = False, AccessKeyId = (not set), SecretAccessKey = (not set) }",
            new S3ImageHostOptions().ToString());
    }

    [Fact]
    public void The_presigned_expiry_covers_ExpiresAt_to_the_second_and_never_passes_seven_days()
    {
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, 250, TimeSpan.Zero);

        Assert.Equal(now.UtcDateTime.AddSeconds(62), S3ImageHost.PresignedExpiry(now.AddSeconds(60.5), now));
        Assert.Equal(now.UtcDateTime.AddSeconds(61), S3ImageHost.PresignedExpiry(now.AddSeconds(60), now));
        Assert.Equal(now.UtcDateTime.AddDays(7), S3ImageHost.PresignedExpiry(now.AddDays(7), now));
        Assert.Throws<ArgumentException>(() => S3ImageHost.PresignedExpiry(now, now));
        Assert.Throws<ArgumentException>(() => S3ImageHost.PresignedExpiry(now.AddDays(7).AddSeconds(1), now));
    }
}
