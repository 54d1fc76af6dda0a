using AliTryOn.Diagnostics;
using AliTryOn.Http;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AliTryOn.Tests.Http;

/// <summary>
/// The quick check that lets a result link's <see cref="Uri"/> be made when first read: whatever it passes must parse as
/// an absolute http(s) URL without user information, or a link read later could fail where the answer was accepted.
/// </summary>
public class PlainHttpUrlTests
{
    [Theory]
    [InlineData("https://tryon-output.oss-cn-hangzhou.aliyuncs.com/results/93be/0_0.png?Expires=1767225600&OSSAccessKeyId=LTAI5t&Signature=kq3Zp8Xv1mR%2FtY6uW0sN4aB7cD8%3D")]
    [InlineData("http://results.example.test/0.png")]
    [InlineData("https://results.example.test:8443/a/b/../c.png#frag")]
    [InlineData("https://localhost")]
    [InlineData("https://r-1.Example.TEST?x=1")]
    [InlineData("https://r.example.test/~user/a;b=c/(d)*+,!$'@:.png")]
    [InlineData("https://r.example.test:65535/")]
    [InlineData("https://r.example.test:9090/")]
    [InlineData("https://r.example.test:0/")]
    [InlineData("https://r.a/")]
    [InlineData("https://r.z/")]
    [InlineData("https://r.A/")]
    [InlineData("https://r.Z/")]
    [InlineData("https://r.example.test/%09%af%AF%Fa%2F%3D")]
    [InlineData("https://a---b.example.test/")]
    public void Passes_the_links_a_service_sends_and_each_parses_as_an_http_url(string text)
    {
        Assert.True(PlainHttpUrl.IsPlain(text));
        AssertParsesAsHttp(text);
    }

    [Theory]
    [InlineData("https://203.0.113.7/0.png", "an IP address")]
    [InlineData("https://[2001:db8::1]/0.png", "an IPv6 address")]
    [InlineData("https://bücher.example/0.png", "a host that is not ASCII")]
    [InlineData("https://xn--bcher-kva.example/0.png", "a punycode label")]
    [InlineData("HTTPS://results.example.test/0.png", "an uppercase scheme")]
    [InlineData("https://results.example.test/0 1.png", "a space")]
    [InlineData("https://results.example.test/%zz.png", "a % that is no escape")]
    [InlineData("https://results.example.test/%2", "a cut escape")]
    [InlineData("https://results.example.test/[0].png", "brackets")]
    [InlineData("https://results.example.test/ü.png", "a path that is not ASCII")]
    [InlineData("https://results.example.test:/0.png", "an empty port")]
    [InlineData("https://results.example.test:65536/0.png", "a port over 65535")]
    [InlineData("https://results.example.test:123456/0.png", "a port of six digits")]
    [InlineData("https://-results.example.test/0.png", "a label starting with a hyphen")]
    [InlineData("https://results..example.test/0.png", "an empty label")]
    [InlineData("https://results.example.test./0.png", "a trailing dot")]
    [InlineData("https://results.example.1/0.png", "a last label starting with a digit")]
    [InlineData("https://results.example.test/a%2F%zz", "a bad escape right after a good one")]
    [InlineData("https://results.example.test/%g0", "an escape with a letter past f")]
    [InlineData("https://results.example.test/%G0", "an escape with a letter past F")]
    [InlineData("https://results.example.test/%0/", "an escape with a character past 9")]
    [InlineData("https://results.example.test/%:0", "an escape with a character before a")]
    [InlineData("https://results.example.test:8a/0.png", "a port that is not digits")]
    [InlineData("https://results.example.test:8:/0.png", "a port with a character past 9")]
    [InlineData("https://results.ab--c.test/0.png", "a label reserved for encodings")]
    [InlineData("https://results.example.@/0.png", "a last label starting before A")]
    [InlineData("https://results.example.[/0.png", "a last label starting past Z")]
    [InlineData("https://results.example.`/0.png", "a last label starting before a")]
    [InlineData("https://results.example.{/0.png", "a last label starting past z")]
    public void Leaves_a_link_it_cannot_vouch_for_to_the_full_parse(string text, string why)
    {
        Assert.False(PlainHttpUrl.IsPlain(text), why);
    }

    [Theory]
    [InlineData("https://user:secret@results.example.test/0.png")]
    [InlineData("https://@results.example.test/0.png")]
    [InlineData("ftp://results.example.test/0.png")]
    [InlineData("oss://bucket/0.png")]
    [InlineData("/results/0.png")]
    [InlineData("https://")]
    [InlineData("https:///0.png")]
    [InlineData("https:results.example.test/0.png")]
    public void Refuses_what_cannot_be_downloaded(string text)
    {
        Assert.False(PlainHttpUrl.IsPlain(text));
    }

    [Fact]
    public void Takes_a_host_name_up_to_253_characters_and_labels_up_to_63()
    {
        var label63 = new string('a', 63);
        var host253 = string.Join('.', label63, label63, label63, new string('b', 61));

        Assert.Equal(253, host253.Length);
        Assert.True(PlainHttpUrl.IsPlain($"https://{host253}/0.png"));
        AssertParsesAsHttp($"https://{host253}/0.png");
        Assert.False(PlainHttpUrl.IsPlain($"https://{host253}b/0.png"));
        Assert.True(PlainHttpUrl.IsPlain($"https://{label63}.test/0.png"));
        Assert.False(PlainHttpUrl.IsPlain($"https://{label63}a.test/0.png"));
    }

    [Fact]
    public void Leaves_a_very_long_link_to_the_full_parse()
    {
        var text = "https://results.example.test/" + new string('a', PlainHttpUrl.MaxLength);

        Assert.False(PlainHttpUrl.IsPlain(text));
        Assert.True(PlainHttpUrl.IsPlain(text[..PlainHttpUrl.MaxLength]));
    }

    /// <summary>Texts near the shapes the check reads, from characters that matter to it and to <see cref="Uri"/>.</summary>
    private static Gen<string> NearLinks()
    {
        var schemes = Gen.Elements("https://", "http://", "HTTP://", "https:/", "ftp://", "https:", string.Empty);
        var hostCharacters = Gen.Elements("abcxyzAZ019-._@:%[]ü ".ToCharArray());
        var tailCharacters = Gen.Elements("aZ09-._~!$&'()*+,;=:@/?#%[]\\\"<>^`{|} \t\u00e9\u4e2dfF".ToCharArray());
        var hosts = Gen.OneOf(
            Gen.Elements("results.example.test", "localhost", "a.b", "xn--x.test", "r.example.test:8443", "u:p@h.test", "h.test:99999"),
            hostCharacters.ArrayOf().Select(static c => new string(c)));
        var tails = Gen.OneOf(
            Gen.Elements(string.Empty, "/", "/0.png?Signature=a%2Fb%3D", "?q", "#f", "/%4", "/%g0"),
            tailCharacters.ArrayOf().Select(static c => "/" + new string(c)));
        return from scheme in schemes
               from host in hosts
               from tail in tails
               select scheme + host + tail;
    }

    [Property(MaxTest = 20000)]
    public Property Whatever_it_passes_parses_as_an_absolute_http_url_without_user_information() =>
        Prop.ForAll(Arb.From(NearLinks()), static text =>
        {
            if (!PlainHttpUrl.IsPlain(text))
            {
                return true.Label("declined");
            }

            AssertParsesAsHttp(text);
            return true.Label("passed and parsed");
        });

    /// <summary>What the full check of an answer's link asks, which a link the quick check passes must meet.</summary>
    private static void AssertParsesAsHttp(string text)
    {
        Assert.True(UrlDisplay.TryParseAbsolute(text, out var uri), text);
        Assert.Contains(uri.Scheme, new[] { Uri.UriSchemeHttp, Uri.UriSchemeHttps });
        Assert.False(UrlDisplay.HasUserInfo(text, uri), text);
        Assert.Empty(uri.UserInfo);
        Assert.Equal(uri, new Uri(text, UriKind.Absolute));
    }
}
