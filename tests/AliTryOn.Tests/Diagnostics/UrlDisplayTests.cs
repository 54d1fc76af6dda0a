using AliTryOn.Diagnostics;

namespace AliTryOn.Tests.Diagnostics;

/// <summary>How links are shown in messages and logs: never with a signature, whatever the scheme's parser keeps.</summary>
public sealed class UrlDisplayTests
{
    [Theory]
    [InlineData("https://h.test/a%3Fb.png?Signature=SECRET", "https://h.test/a%3Fb.png")] // an escaped '?' of an http path is the path's
    [InlineData("http://user:SECRET@h.test/a.png#SECRET", "http://h.test/a.png")]
    [InlineData("ftp://h.test/r.png?Signature=SECRET", "ftp://h.test/r.png")] // the ftp parser keeps '?…' in the path
    [InlineData("ftp://h.test/r.png#SECRET", "ftp://h.test/r.png")]
    [InlineData("ftp://h.test/r.png", "ftp://h.test/r.png")]
    public void An_absolute_link_is_shown_without_its_query_fragment_or_user_information(string link, string shown)
    {
        var url = new Uri(link);

        Assert.Equal(shown, UrlDisplay.Show(url));
        Assert.Equal(new Uri(shown), UrlDisplay.Safe(url));
    }

    [Fact]
    public void A_link_with_nothing_to_hide_is_kept_as_it_is()
    {
        var url = new Uri("https://h.test/a.png");

        Assert.Same(url, UrlDisplay.Safe(url));
    }

    [Theory]
    [InlineData("""{"model_image":"https://b.test/a.png?X-Amz-Signature=SECRET","status":"WAITING"}""", """{"model_image":"https://b.test/a.png?***","status":"WAITING"}""")]
    [InlineData("""{"u":"https:\/\/b.test\/a.png?sig=SECRET\u0026e=1"}""", """{"u":"https:\/\/b.test\/a.png?***"}""")]
    [InlineData("see http://user:SECRET@h.test/a.png#SECRET and ftp://h.test/x?SECRET.", "see http://***@h.test/a.png#*** and ftp://h.test/x?***")]
    [InlineData("<Url>https://h.test/r.png?Expires=1&amp;Signature=SECRET</Url>", "<Url>https://h.test/r.png?***</Url>")]
    [InlineData("no link here: a ? b # c @ d", "no link here: a ? b # c @ d")]
    [InlineData("ends with https://", "ends with https://")]
    [InlineData("https://h.test/plain.png", "https://h.test/plain.png")]
    public void Links_in_a_response_excerpt_lose_their_queries_fragments_and_user_information(string text, string masked)
    {
        Assert.Equal(masked, UrlDisplay.MaskUrls(text));
        Assert.DoesNotContain("SECRET", UrlDisplay.MaskUrls(text), StringComparison.Ordinal);
    }
}
