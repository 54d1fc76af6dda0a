using System.Net;
using System.Text;

namespace AliTryOn.Tests.Properties;

/// <summary>
/// A generated HTTP answer: status, gateway headers and raw body bytes. Printed readably (bytes that are not
/// printable ASCII as <c>\xNN</c>) so a shrunk counterexample can be pasted into a regular test.
/// </summary>
internal sealed record ResponseCase(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, string Origin)
{
    private const int ShownBodyBytes = 800;

    /// <summary>
    /// A fresh response carrying the status and headers. Headers go in unvalidated, as a transport would hand them over;
    /// the body is not attached because the mapper takes it separately.
    /// </summary>
    public HttpResponseMessage ToResponse()
    {
        var response = new HttpResponseMessage((HttpStatusCode)Status);
        foreach (var (name, value) in Headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    /// <summary>
    /// Smaller cases that FsCheck tries after a failure: without a header, then the body with ever smaller chunks cut
    /// out, so the reported counterexample is close to minimal.
    /// </summary>
    public IEnumerable<ResponseCase> Shrink()
    {
        for (var i = 0; i < Headers.Count; i++)
        {
            yield return this with { Headers = [.. Headers.Take(i), .. Headers.Skip(i + 1)] };
        }

        for (var chunk = Body.Length / 2; chunk >= 1; chunk /= 2)
        {
            for (var start = 0; start + chunk <= Body.Length; start += chunk)
            {
                yield return this with { Body = [.. Body.AsSpan(0, start), .. Body.AsSpan(start + chunk)] };
            }
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("HTTP ").Append(Status).Append(" (").Append(Origin).Append(") headers [");
        text.Append(string.Join(", ", Headers.Select(h => $"{h.Key}: {Escape(Encoding.UTF8.GetBytes(h.Value))}")));
        text.Append("] body ").Append(Body.Length).Append(" bytes: ");
        text.Append(Escape(Body.AsSpan(0, Math.Min(Body.Length, ShownBodyBytes))));
        if (Body.Length > ShownBodyBytes)
        {
            text.Append('…');
        }

        return text.ToString();
    }

    internal static string Escape(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b == (byte)'\\')
            {
                text.Append(@"\\");
            }
            else if (b is >= 0x20 and < 0x7F)
            {
                text.Append((char)b);
            }
            else
            {
                text.Append(@"\x").Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
