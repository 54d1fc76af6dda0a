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
    [InlineData("://h.test/a.png?SECRET", "://h.test/a.png?***")]                                          // a link at the very start
    [InlineData("https://h.test/a@b.png?SECRET", "https://h.test/a@b.png?***")]                          // an '@' in the path is no user
    [InlineData("https://u:SECRET@h.test?SECRET", "https://***@h.test?***")]                             // no path
    [InlineData("https://h.test#SECRET x", "https://h.test#*** x")]
    [InlineData("""://a?SECRET1 https:\/\/h\/b?SECRET2""", """://a?*** https:\/\/h\/b?***""")]                // both forms, the plain one first
    [InlineData("""https:\/\/h\/a?SECRET1 https://h/b?SECRET2""", """https:\/\/h\/a?*** https://h/b?***""")]
    [InlineData(""":\/\/h\/a?SECRET""", """:\/\/h\/a?***""")]                                         // an escaped link at the very start
    public void Links_in_a_response_excerpt_lose_their_queries_fragments_and_user_information(string text, string masked)
    {
        Assert.Equal(masked, UrlDisplay.MaskUrls(text));
        Assert.DoesNotContain("SECRET", UrlDisplay.MaskUrls(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Models_with_a_null_list_compare_unequal_without_throwing_and_equal_models_hash_alike()
    {
        var batch = new TryOnBulkBatch("rk", [1, 2]);

        Assert.NotEqual(batch, new TryOnBulkBatch("rk", null!));
        Assert.NotEqual(new TryOnBulkBatch("rk", null!), batch);
        Assert.Equal(new TryOnBulkBatch("rk", null!), new TryOnBulkBatch("rk", null!));
        Assert.Equal(batch.GetHashCode(), new TryOnBulkBatch("rk", [1, 2]).GetHashCode());
        Assert.NotEqual(batch.GetHashCode(), new TryOnBulkBatch("other", [1, 2]).GetHashCode()); // the key counts in the hash
        Assert.NotEqual(batch.GetHashCode(), new TryOnBulkBatch(null, [1, 2]).GetHashCode());
        Assert.NotEqual(new TryOnBulkBatch("a", [1]).GetHashCode(), new TryOnBulkBatch("a", [1, 2]).GetHashCode()); // and the count
    }
}
