using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace AliTryOn.Benchmarks.Support;

/// <summary>
/// A request as the transport received it: method, address, headers (nonce value masked after its format is checked)
/// and body. Two contenders send the same thing when their <see cref="SentRequest"/>s are equal.
/// </summary>
public sealed partial record SentRequest(string Method, string Uri, string Headers, string Body)
{
    private const string NonceHeader = "X-Ca-Nonce";

    public static async Task<SentRequest> ReadAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        // Content-Length is left out: streamed content (Refit's) is sent chunked, which is the transport's choice.
        IEnumerable<KeyValuePair<string, HeaderStringValues>> all = request.Headers.NonValidated;
        if (request.Content is { } content)
        {
            all = all.Concat(content.Headers.NonValidated);
        }

        var headers = all
            .Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .Select(h => $"{h.Key}: {Mask(h.Key, string.Join(", ", h.Value))}");
        return new SentRequest(request.Method.Method, request.RequestUri!.AbsoluteUri, string.Join("\n", headers), body);
    }

    public override string ToString() => new StringBuilder()
        .Append(Method).Append(' ').AppendLine(Uri)
        .AppendLine(Headers)
        .Append(Body)
        .ToString();

    private static string Mask(string name, string value)
    {
        if (!name.Equals(NonceHeader, StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        return NonceFormat().IsMatch(value) ? "<32 lowercase hex digits>" : $"<malformed nonce '{value}'>";
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex NonceFormat();
}
