using AliTryOn.Tests.TestSupport;

namespace AliTryOn.Tests.Client;

/// <summary>Choosing the AppKey/AppSecret signing mode by the credentials set, and its validation.</summary>
public class SigningOptionsTests
{
    public static TheoryData<string, Action<TryOnClientOptions>, string> InvalidCredentials => new()
    {
        { "neither mode", o => o.AppCode = null, "TryOnClientOptions.AppCode is required: copy your AppCode from the \"purchased services\" page of the Alibaba Cloud Market and set it from a secret store or an environment variable (or, for the gateway's signing mode, set TryOnClientOptions.AppKey and TryOnClientOptions.AppSecret instead)." },
        {
            "both modes",
            o =>
            {
                o.AppCode = TestOptions.AppCode;
                o.AppKey = TestOptions.AppKey;
                o.AppSecret = TestOptions.AppSecret;
            },
            "TryOnClientOptions.AppCode must not be set together with TryOnClientOptions.AppKey and TryOnClientOptions.AppSecret"
        },
        {
            "an AppKey alone",
            o =>
            {
                o.AppCode = null;
                o.AppKey = TestOptions.AppKey;
            },
            "TryOnClientOptions.AppSecret is required when TryOnClientOptions.AppKey is set."
        },
        {
            "an AppSecret alone",
            o =>
            {
                o.AppCode = null;
                o.AppSecret = TestOptions.AppSecret;
            },
            "TryOnClientOptions.AppKey is required when TryOnClientOptions.AppSecret is set."
        },
        {
            "an AppSecret with a trailing newline",
            o =>
            {
                o.AppCode = null;
                o.AppKey = TestOptions.AppKey;
                o.AppSecret = TestOptions.AppSecret + "\n";
            },
            "TryOnClientOptions.AppSecret contains whitespace, control or non-ASCII characters"
        },
        {
            "an AppKey with a space",
            o =>
            {
                o.AppCode = null;
                o.AppKey = "key with space";
                o.AppSecret = TestOptions.AppSecret;
            },
            "TryOnClientOptions.AppKey holds a placeholder, not a credential (it has spaces)"
        },
    };

    [Theory]
    [MemberData(nameof(InvalidCredentials))]
    public void Exactly_one_mode_must_be_configured_and_messages_name_the_settings(string name, Action<TryOnClientOptions> change, string message)
    {
        _ = name;
        var error = Assert.Throws<ArgumentException>("options", () => new TryOnClient(TestOptions.Create(change)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOptions.AppSecret, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOptions.AppCode, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_appkey_and_appsecret_without_an_appcode_are_valid()
    {
        _ = new TryOnClient(TestOptions.CreateSigned());

        // A blank AppCode (an empty configuration value, say) counts as not set.
        _ = new TryOnClient(TestOptions.CreateSigned(o => o.AppCode = " "));
    }

    [Fact]
    public void To_string_shows_the_appkey_and_hides_the_appsecret()
    {
        var text = TestOptions.CreateSigned().ToString();

        Assert.Contains("AppCode = (not set)", text, StringComparison.Ordinal);
        Assert.Contains("AppKey = " + TestOptions.AppKey, text, StringComparison.Ordinal);
        Assert.Contains("AppSecret = (set, hidden)", text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOptions.AppSecret, text, StringComparison.Ordinal);
        Assert.Contains("AppSecret = (not set)", new TryOnClientOptions().ToString(), StringComparison.Ordinal);
    }
}
