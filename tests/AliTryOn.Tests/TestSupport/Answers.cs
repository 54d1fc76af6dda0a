using System.Net;

namespace AliTryOn.Tests.TestSupport;

/// <summary>Canned answers of the service, and a transport that gives them in order (the last one repeats).</summary>
internal static class Answers
{
    /// <summary>A transport answering request n with <paramref name="answers"/>[n], or the last answer once they run out.</summary>
    public static RecordingHandler InOrder(TimeProvider clock, params Func<HttpResponseMessage>[] answers) =>
        new((_, index) => answers[Math.Min(index, answers.Length - 1)]()) { Clock = clock };

    /// <summary>A success answer for job <paramref name="resultKey"/> whose tasks have <paramref name="statuses"/>.</summary>
    public static Func<HttpResponseMessage> Job(string resultKey, params string[] statuses) =>
        () => RecordingHandler.Response(HttpStatusCode.OK, Json.Job(resultKey, statuses));

    /// <summary>An error answer of the service.</summary>
    public static Func<HttpResponseMessage> Error(HttpStatusCode status, string code, string message) =>
        () => RecordingHandler.Response(status, Json.Error(code, message));

    /// <summary>The service's throttling answer (403, code 23500004) asking to wait <paramref name="retryAfterSeconds"/>.</summary>
    public static HttpResponseMessage ThrottledFor(int retryAfterSeconds, string body = "") =>
        WithRetryAfter(RecordingHandler.Response(HttpStatusCode.Forbidden, body.Length > 0 ? body : Json.Error("23500004", "Request was denied due to request throttling")), retryAfterSeconds);

    private static HttpResponseMessage WithRetryAfter(HttpResponseMessage response, int seconds)
    {
        response.Headers.TryAddWithoutValidation("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return response;
    }

    /// <summary>The gateway's throttling answer, with <c>Retry-After: 0</c> so the retry waits for nothing.</summary>
    public static Func<HttpResponseMessage> Throttled() =>
        () => WithRetryAfter(RecordingHandler.Response((HttpStatusCode)429, Json.Error("23500004", "Request was denied due to request throttling")), 0);
}
