using System.Net;
using System.Text;
using AliTryOn.Http;

namespace AliTryOn.Tests.Http;

/// <summary>
/// Each answer is read once and kept on the response: whoever looks at the response after the client (a logging
/// handler of the HTTP client factory, say) still sees the body and its content headers as they arrived.
/// </summary>
public class AnswerReadingTests
{
    private const string Body = """{"code":0,"success":true,"data":{"result_key":"rk","task_list":[]}}""";

    [Fact]
    public async Task The_body_and_content_headers_stay_as_received_and_the_original_content_is_released()
    {
        var original = new TrackedContent(Encoding.UTF8.GetBytes(Body));
        original.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
        original.Headers.TryAddWithoutValidation("Content-Language", "en");
        original.Headers.TryAddWithoutValidation("Content-Encoding", ["identity", "x-test"]);
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = original };

        var answer = await TryOnResponseMapper.AnswerAsync(response, TimeProvider.System, CancellationToken.None);

        Assert.Equal("rk", answer.Job!.ResultKey);
        Assert.NotSame(original, response.Content);
        Assert.True(original.Disposed);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(["en"], response.Content.Headers.ContentLanguage);
        Assert.Equal(["identity", "x-test"], response.Content.Headers.ContentEncoding);
        Assert.Equal(Body, await response.Content.ReadAsStringAsync());
        Assert.Same(answer, await TryOnResponseMapper.AnswerAsync(response, TimeProvider.System, CancellationToken.None));
    }

    /// <summary>A body that records being released.</summary>
    private sealed class TrackedContent(byte[] bytes) : ByteArrayContent(bytes)
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
