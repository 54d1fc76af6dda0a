using System.Text;
using AliTryOn.Http;

namespace AliTryOn.Tests.Http;

/// <summary>The gateway's signature algorithm against the public test vectors of the contract (secret <c>appSecret</c>).</summary>
public class GatewaySignatureTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("appSecret");

    private static readonly KeyValuePair<string, string>[] NoHeaders = [];

    private const string First = "GET\napplication/json\n\napplication/json\n\nx-ca-key:appKey\nx-ca-nonce:787dd0c2-7bd8-41cd-9c19-62c05ea524a2\nx-ca-timestamp:1646365291734\n/Third/Tools/checkSign";
    private const string Second = "GET\napplication/json\n\n\n\n/Third/Tools/checkSign";
    private const string Third = "POST\napplication/json\n\napplication/x-www-form-urlencoded\n\nx-ca-key:appKey\nx-ca-nonce:ca5a6753-b76c-4fff-a9d9-e5bb643e8cdf\nx-ca-timestamp:1646646682418\n/Third/User/getNyAccessToken?nickname=nickname&photo=photo&room_id=6893&uuid=uuid";

    public static TheoryData<string, string> Vectors => new()
    {
        { First, "EdJSFAMOWyXZOpXhevZnjuS0ZafnwnCqaSk5hz+tXo8=" },
        { Second, "ZpJhkHdtjLTJiR6CJWHL8ikLtPB2z6CoztG21wG3PT4=" },
        { Third, "gmf9xq0hc95Hmt+7G+OocS009ka3v1v0rvfshKzYc3w=" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Each_published_string_to_sign_gives_its_published_signature(string stringToSign, string signature) =>
        Assert.Equal(signature, GatewaySignature.Sign(Secret, stringToSign.ToCharArray(), stringToSign.Length));

    [Fact]
    public void The_first_vector_is_built_from_its_parts_and_signed()
    {
        using var built = GatewaySignature.Build(
            "GET",
            "application/json",
            contentMd5: null,
            "application/json",
            date: null,
            [new("x-ca-key", "appKey"), new("x-ca-nonce", "787dd0c2-7bd8-41cd-9c19-62c05ea524a2"), new("x-ca-timestamp", "1646365291734")],
            "/Third/Tools/checkSign",
            parameters: null);

        Assert.Equal(First, built.ToString());
        Assert.Equal("EdJSFAMOWyXZOpXhevZnjuS0ZafnwnCqaSk5hz+tXo8=", built.Sign(Secret));
    }

    [Fact]
    public void The_second_vector_is_built_from_its_parts_and_signed()
    {
        using var built = GatewaySignature.Build("GET", "application/json", null, null, null, NoHeaders, "/Third/Tools/checkSign", null);

        Assert.Equal(Second, built.ToString());
        Assert.Equal("ZpJhkHdtjLTJiR6CJWHL8ikLtPB2z6CoztG21wG3PT4=", built.Sign(Secret));
    }

    [Fact]
    public void The_third_vector_is_built_from_its_parts_with_parameters_sorted_and_signed()
    {
        // Given out of order and encoded, as a query string would carry them: the signer sorts and decodes.
        var parameters = GatewaySignature.QueryParameters("?uuid=uuid&room_id=6893&photo=photo&nickname=nick%6Eame");
        using var built = GatewaySignature.Build(
            "POST",
            "application/json",
            null,
            "application/x-www-form-urlencoded",
            null,
            [new("x-ca-key", "appKey"), new("x-ca-nonce", "ca5a6753-b76c-4fff-a9d9-e5bb643e8cdf"), new("x-ca-timestamp", "1646646682418")],
            "/Third/User/getNyAccessToken",
            parameters);

        Assert.Equal(Third, built.ToString());
        Assert.Equal("gmf9xq0hc95Hmt+7G+OocS009ka3v1v0rvfshKzYc3w=", built.Sign(Secret));
    }

    [Fact]
    public void Query_parameters_are_decoded_sorted_kept_once_and_a_bare_name_is_signed_alone()
    {
        var parameters = GatewaySignature.QueryParameters("?b=2&a=x+y&flag&a=second&c=%E4%B8%AD");

        Assert.NotNull(parameters);
        Assert.Equal([new("a", "x y"), new("b", "2"), new("c", "中"), new("flag", string.Empty)], parameters);
        using var built = GatewaySignature.Build("GET", null, null, null, null, NoHeaders, "/p", parameters);
        Assert.Equal("GET\n\n\n\n\n/p?a=x y&b=2&c=中&flag", built.ToString());
        Assert.Null(GatewaySignature.QueryParameters(string.Empty));
        Assert.Null(GatewaySignature.QueryParameters("?"));
    }

    [Fact]
    public void Content_md5_is_the_base64_of_the_bodys_md5()
    {
        // MD5("hello") = 5d41402abc4b2a76b9719d911017c592.
        Assert.Equal("XUFAKrxLKna5cZ2REBfFkg==", GatewaySignature.ContentMd5("hello"u8));
    }

    [Fact]
    public void Strings_to_sign_of_every_length_are_built_whole()
    {
        // The buffer is sized beforehand: across every length up to past 1 KiB (crossing the pool's sizes), each part
        // must be counted, or the string comes out cut short or the build fails.
        for (var n = 1; n <= 1100; n++)
        {
            var path = "/" + new string('p', n);
            var value = new string('v', n % 7);
            using var built = GatewaySignature.Build(
                "POST",
                "application/json",
                "md5==",
                "application/json; charset=utf-8",
                "Tue, 01 Dec 2026 00:00:00 GMT",
                [new("x-ca-key", value), new("x-ca-nonce", "n")],
                path,
                [new("a", value), new("bb", "2")]);

            var expected = "POST\napplication/json\nmd5==\napplication/json; charset=utf-8\nTue, 01 Dec 2026 00:00:00 GMT\n"
                + "x-ca-key:" + value + "\nx-ca-nonce:n\n" + path + (value.Length > 0 ? "?a=" + value : "?a") + "&bb=2";
            Assert.Equal(expected, built.ToString());
        }
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("?", null)]
    [InlineData("&", null)]
    [InlineData("?&&", null)]
    [InlineData("a=1", "a=1")]
    [InlineData("?a=1&&b", "a=1|b=")]
    [InlineData("=x", "=x")]
    [InlineData("?z=%2B+&y=a%3Db", "y=a=b|z=+ ")]
    [InlineData("?k=1&K=2&k=3", "K=2|k=1")]
    public void Query_parameters_skip_empty_pairs_and_keep_the_first_value_of_a_name(string query, string? expected)
    {
        var parameters = GatewaySignature.QueryParameters(query);

        Assert.Equal(expected, parameters is null ? null : string.Join("|", parameters.Select(p => p.Key + "=" + p.Value)));
    }
}
