using System.Net;
using System.Text.Json;
using AliTryOn.Http;
using AliTryOn.Tests.TestSupport;

namespace AliTryOn.Tests.Http;

/// <summary>
/// A job's result links as the client reads them from an answer: made into <see cref="Uri"/>s when first read, and then
/// the same in every way as links parsed at once (values, order, JSON, concurrency, errors).
/// </summary>
public class ResultLinksTests
{
    private const string Plain = "https://results.example.test/rk/0.png?Expires=1767225600&Signature=kq3Z%2Ftg%3D";
    private const string IpHost = "https://203.0.113.7:8443/rk/1.png";
    private const string Idn = "https://bücher.example/rk/2.png";
    private const string PunycodeHost = "https://xn--bcher-kva.example/rk/3.png";

    [Fact]
    public async Task A_query_gives_every_link_in_order_plain_or_not_the_same_as_a_parsed_uri()
    {
        // Blank entries are skipped; a link with a leading space (as in the service's document) is trimmed.
        var job = await QueryAsync($$"""["{{Plain}}", " ", "{{IpHost}}", null, " {{Idn}}", "{{PunycodeHost}}"]""");

        var links = job.Tasks[0].ResultUrls;

        Assert.Equal(4, links.Count);
        Assert.Equal([new Uri(Plain), new Uri(IpHost), new Uri(Idn), new Uri(PunycodeHost)], links);
        Assert.Equal(Plain, links[0].OriginalString);
        Assert.Equal("bücher.example", links[2].Host);
        Assert.Equal([new Uri(Plain), new Uri(IpHost), new Uri(Idn), new Uri(PunycodeHost)], job.ResultUrls);
    }

    [Fact]
    public async Task A_link_read_twice_is_the_same_instance()
    {
        var job = await QueryAsync($$"""["{{Plain}}", "{{IpHost}}"]""");
        var links = job.Tasks[0].ResultUrls;

        Assert.Same(links[0], links[0]);
        Assert.Same(links[1], links[1]);
        Assert.Same(links[0], links.First());
    }

    [Fact]
    public async Task A_plain_link_becomes_a_uri_only_when_read_and_any_other_is_parsed_with_the_answer()
    {
        var job = await QueryAsync($$"""["{{Plain}}", "{{IpHost}}"]""");
        var links = Assert.IsType<ResultLinks>(job.Tasks[0].ResultUrls);

        Assert.False(links.IsMade(0));
        Assert.True(links.IsMade(1));
        Assert.Equal(new Uri(Plain), links[0]);
        Assert.True(links.IsMade(0));
    }

    [Fact]
    public void Threads_reading_a_link_at_once_all_get_one_instance()
    {
        // Many rounds, each a fresh list read by more threads than cores at the same instant: a list that stored
        // whichever Uri was made last, rather than the first, would hand two threads different instances.
        var threads = 2 * Environment.ProcessorCount;
        for (var round = 0; round < 200; round++)
        {
            var links = new ResultLinks([Plain], [null], 1);
            var read = new Uri?[threads];
            using var start = new Barrier(threads);
            var readers = Enumerable.Range(0, threads).Select(i => new Thread(() =>
            {
                // A reader left behind by the barrier reads nothing, which the assertion below reports.
                if (start.SignalAndWait(TimeSpan.FromSeconds(10)))
                {
                    read[i] = links[0];
                }
            })).ToList();
            readers.ForEach(static t => t.Start());
            readers.ForEach(static t => t.Join());

            Assert.All(read, uri => Assert.Same(links[0], uri));
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    public async Task An_index_out_of_range_is_an_ArgumentOutOfRangeException_naming_the_range(int index)
    {
        // A blank entry last: the links are two, whatever room the answer's three entries took.
        var job = await QueryAsync($$"""["{{Plain}}", "{{IpHost}}", " "]""");

        Assert.Equal(2, job.Tasks[0].ResultUrls.Count);
        Assert.Equal(2, job.Tasks[0].ResultUrls.Count());
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => job.Tasks[0].ResultUrls[index]);

        Assert.Equal("index", error.ParamName);
        Assert.Contains("from 0 to 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_read_from_the_service_writes_the_same_json_as_one_built_by_hand()
    {
        var job = await QueryAsync($$"""["{{Plain}}", "{{IpHost}}"]""");
        var built = new TryOnJob(
            job.ResultKey,
            [new TryOnTaskResult(0, TryOnTaskStatus.Succeeded, [new Uri(Plain), new Uri(IpHost)])],
            job.RequestId,
            job.Severity);
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        var json = JsonSerializer.Serialize(job, web);

        Assert.Equal(JsonSerializer.Serialize(built, web), json);
        Assert.Equal(
            [new Uri(Plain), new Uri(IpHost)],
            JsonSerializer.Deserialize<TryOnJob>(json, web)!.Tasks[0].ResultUrls);
    }

    [Fact]
    public async Task A_task_without_links_has_an_empty_list()
    {
        var job = await QueryAsync("""[" ", null]""");

        Assert.Empty(job.Tasks[0].ResultUrls);
        Assert.Empty(job.ResultUrls);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => job.Tasks[0].ResultUrls[0]);
        Assert.Contains("no result links", error.Message, StringComparison.Ordinal);
    }

    private static async Task<TryOnJob> QueryAsync(string results)
    {
        var body = $$"""
            {"code":0,"data":{"result_key":"rk","task_list":[{"status":"SUCCESS","results":{{results}}}]},"message":"success","requestId":"req-1","success":true}
            """;
        var client = new TryOnClient(TestOptions.Create(), new RecordingHandler(HttpStatusCode.OK, body));
        return await client.QueryAsync("rk");
    }
}
