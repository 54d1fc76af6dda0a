
namespace AliTryOn.AspNetCore.Tests;

/// <summary>A URL changed in any way, or signed with another key, is refused with 403 and an empty body.</summary>
public sealed class SignatureTests
{
    public static TheoryData<string> Tamperings =>
    [
        "signature changed",
        "signature removed",
        "signature empty",
        "signature given twice",
        "signature with padding",
        "expires changed",
        "expires removed",
        "expires with a leading zero",
        "expires beyond year 9999",
        "another key's signature",
        "signed with another signing key",
    ];

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task Tampered_url_is_forbidden(string tampering)
    {
        await using var server = await AppServer.StartAsync();
        var (upload, url) = await server.PublishAsync(variant: 1);
        var (_, other) = await server.PublishAsync(variant: 2);
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        var expires = query["expires"]!;
        var sig = query["sig"]!;
        var path = url.GetLeftPart(UriPartial.Path);
        var flipped = (sig[0] == 'A' ? 'B' : 'A') + sig[1..];

        var tampered = tampering switch
        {
            "signature changed" => $"{path}?expires={expires}&sig={flipped}",
            "signature removed" => $"{path}?expires={expires}",
            "signature empty" => $"{path}?expires={expires}&sig=",
            "signature given twice" => $"{path}?expires={expires}&sig={sig}&sig={sig}",
            "signature with padding" => $"{path}?expires={expires}&sig={sig}=",
            "expires changed" => $"{path}?expires={long.Parse(expires) + 1}&sig={sig}",
            "expires removed" => $"{path}?sig={sig}",
            "expires with a leading zero" => $"{path}?expires=0{expires}&sig={sig}",
            // Signed properly, so only the range check refuses it (past it, the date conversion would throw: a 500).
            "expires beyond year 9999" => server.SignedUrl(upload.Key, 253402300800).ToString(),
            // The other image's path with this image's expiry and signature.
            "another key's signature" => $"{other.GetLeftPart(UriPartial.Path)}?expires={expires}&sig={sig}",
            "signed with another signing key" => server.SignedUrl(upload.Key, long.Parse(expires), signingKey: "another-signing-key-of-enough-length-0123456789").ToString(),
            _ => throw new ArgumentOutOfRangeException(nameof(tampering)),
        };

        using var http = server.CreateClient();
        using (var genuine = await http.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        }

        using var response = await http.GetAsync(new Uri(tampered));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }
}
