using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace AliTryOn.Tests.Properties;

/// <summary>
/// Generators of what a server, a gateway or a broken proxy might answer: statuses, <c>X-Ca-*</c> headers and bodies
/// from random bytes to well-formed job responses.
/// </summary>
internal static class ResponseGenerators
{
    /// <summary>A success body in the service's format, with one finished task.</summary>
    public static readonly byte[] SampleSuccessBody =
        """{"code":0,"data":{"result_key":"k","task_list":[{"status":"SUCCESS","results":["https://r.test/1.png"]}]},"message":"success","requestId":"r","severity":"info","success":true}"""u8.ToArray();

    /// <summary>JSON values of the wrong type (or a troublesome value of the right one) for any field.</summary>
    private static readonly byte[][] WrongValues =
    [
        .. new[]
        {
            "{}", """{"a":[1,{"b":null}]}""", "[]", """[1,"a",null,{}]""", "true", "false", "null",
            "0", "1", "-1", "-0", "0.0", "0e0", "1.5", "1e10", "1e400", "-1e400",
            "2147483648", "-2147483649", "9223372036854775808", "99999999999999999999999", "-99999999999999999999999",
            "\"abc\"", "\"\"", "\"   \"", "\" 0 \"", "\"0x10\"", "\"TRUE\"", "\"1e400\"", "\"\\\"\"", "\"\\u0000\"",
            "\"\\u0001\"", "\"\\t\"", @"""\uD800""", @"""\uDC00x""", @"""\uD83D\uDE00""", "\"http://[::1\"", "\"::\"",
            "\"" + new string('x', 3000) + "\"", new string('[', 70) + new string(']', 70),
        }.Select(Encoding.UTF8.GetBytes),

        // Strings holding bytes that are not UTF-8: a lone byte, a cut sequence, an encoded surrogate, an overlong
        // form and a code point above U+10FFFF.
        [0x22, 0xFF, 0x22],
        [0x22, 0xC3, 0x22],
        [0x22, 0xED, 0xA0, 0x80, 0x22],
        [0x22, 0xC0, 0xAF, 0x22],
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
    ];

    /// <summary>Field names of the wire format, so random JSON reaches the converters behind them.</summary>
    private static readonly string[] WireFieldNames =
    [
        "code", "success", "message", "requestId", "severity", "data", "result_key", "task_list", "status", "results",
        "inferenceMode", "inference_mode", "model_image", "upper_image", "type", "url",
    ];

    private static readonly string[] GatewayHeaderNames =
        ["X-Ca-Error-Message", "X-Ca-Error-Code", "X-Ca-Request-Id", "Retry-After", "Location"];

    private static readonly string[] SpecialHeaderValues =
    [
        "", " ", "0", "-1", "5", "1.5", "99999999999", "2147483648", "abc", "Fri, 31 Dec 9999 23:59:59 GMT",
        "Mon, 01 Jan 0001 00:00:00 GMT", "Wed, 21 Oct 2015 07:28:00 GMT", "Throttled by APP Flow Control",
        "Invalid AppCode `not exists`", "Invalid Signature", "Quota Exhausted", "Internal Error", "Api Not Found",
        "Invalid Param Location", "http://[::1", "/relative", "https://elsewhere.test/x", "23500008",
    ];

    public static Gen<int> AnyStatus { get; } = Gen.Frequency(
        (3, Gen.Choose(200, 299)),
        (2, Gen.Elements(200, 204, 301, 302, 400, 401, 403, 404, 405, 408, 413, 415, 429, 500, 502, 503, 504)),
        (3, Gen.Choose(100, 599)));

    public static Gen<IReadOnlyList<KeyValuePair<string, string>>> GatewayHeaders { get; } =
        from count in Gen.Frequency((2, Gen.Constant(0)), (3, Gen.Choose(1, 5)))
        from headers in Gen.ArrayOf(
            from name in Gen.Elements(GatewayHeaderNames)
            from value in Gen.Frequency((2, Gen.Elements(SpecialHeaderValues)), (3, HeaderText()))
            select KeyValuePair.Create(name, value),
            count)
        select (IReadOnlyList<KeyValuePair<string, string>>)headers;

    /// <summary>Well-formed job responses: 0–10 tasks, known and unknown statuses, 0–5 result URLs each.</summary>
    public static Gen<ValidJobResponse> ValidJob { get; } =
        from status in Gen.Frequency((4, Gen.Constant(200)), (1, Gen.Choose(200, 299)))
        from key in SafeText(1, 40)
        from taskCount in Gen.Choose(0, 10)
        from tasks in Gen.ArrayOf(
            from taskStatus in Gen.Frequency(
                (3, Gen.Elements("WAITING", "RUNNING", "SUCCESS", "FAILED")),
                (2, UppercaseWord()))
            from results in Gen.Frequency((2, Gen.Constant(0)), (3, Gen.Choose(1, 5)))
            select (taskStatus, results),
            taskCount)
        from codeAsString in Gen.Elements(false, true)
        select new ValidJobResponse(status, key, tasks, codeAsString);

    /// <summary>Every kind of response this file makes, each shrinking towards a smaller body and fewer headers.</summary>
    public static Arbitrary<ResponseCase> AnyResponse { get; } = Arb.From(
        from status in AnyStatus
        from headers in GatewayHeaders
        from body in Gen.OneOf(RandomBytes(), Truncation(), Mutation(), WrongTypes(), RandomJson())
        select new ResponseCase(status, headers, body.Bytes, body.Origin),
        static c => c.Shrink());

    /// <summary>(a) Random bytes, 0 to 4 KB: raw, JSON-ish, or behind a '{' so the JSON reader gets to see them.</summary>
    private static Gen<(string Origin, byte[] Bytes)> RandomBytes()
    {
        var jsonish = Gen.Elements("{}[]\":,0123456789-+.eE\\u truefalsenull\t\r\n"u8.ToArray());
        var anyByte = Gen.Choose(0, 255).Select(static b => (byte)b);
        return from length in Gen.Frequency((4, Gen.Choose(0, 64)), (2, Gen.Choose(65, 1024)), (1, Gen.Choose(1025, 4096)))
               from bytes in Gen.ArrayOf(Gen.Frequency((1, anyByte), (1, jsonish)), length)
               from prefix in Gen.Elements(Array.Empty<byte>(), "{"u8.ToArray(), "{\""u8.ToArray(), [0xEF, 0xBB, 0xBF, (byte)'{'], " \r\n\t{"u8.ToArray())
               select ("random bytes", (byte[])[.. prefix, .. bytes]);
    }

    /// <summary>(b) A valid success body cut at any length.</summary>
    private static Gen<(string Origin, byte[] Bytes)> Truncation() =>
        from body in ValidBody()
        from cut in Gen.Choose(0, body.Length)
        select ("truncated", body[..cut]);

    /// <summary>A valid body with a few bytes replaced, inserted or removed: mostly invalid UTF-8 inside strings.</summary>
    private static Gen<(string Origin, byte[] Bytes)> Mutation()
    {
        var troublesome = Gen.Frequency(
            (2, Gen.Choose(0x80, 0xFF).Select(static b => (byte)b)),
            (1, Gen.Elements("{}[]\":,\\0"u8.ToArray())),
            (1, Gen.Choose(0, 0x1F).Select(static b => (byte)b)));
        var edit = from kind in Gen.Choose(0, 2)
                   from position in Gen.Choose(0, int.MaxValue)
                   from value in troublesome
                   select (kind, position, value);
        return from body in ValidBody()
               from edits in Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(edit, n))
               select ("mutated", edits.Aggregate(body, Apply));

        static byte[] Apply(byte[] body, (int Kind, int Position, byte Value) edit)
        {
            var at = edit.Position % (body.Length + 1);
            return edit.Kind switch
            {
                0 when at < body.Length => [.. body[..at], edit.Value, .. body[(at + 1)..]],
                1 => [.. body[..at], edit.Value, .. body[at..]],
                _ when at < body.Length => [.. body[..at], .. body[(at + 1)..]],
                _ => body,
            };
        }
    }

    /// <summary>(c) The response's structure with any field missing, well-typed, or of a wrong type.</summary>
    private static Gen<(string Origin, byte[] Bytes)> WrongTypes()
    {
        var wrong = Gen.Frequency((4, Gen.Elements(WrongValues)), (1, JsonValue(2).Select(Encoding.UTF8.GetBytes)));
        Gen<byte[]> Json(params string[] values) => Gen.Elements(values.Select(Encoding.UTF8.GetBytes).ToArray());
        Gen<byte[]> Field(string name, Gen<byte[]> valid) => Gen.Frequency(
            (1, Gen.Constant(Array.Empty<byte>())),
            (4, valid.Select(v => Concat(Encoding.UTF8.GetBytes($"\"{name}\":"), v))),
            (1, wrong.Select(v => Concat(Encoding.UTF8.GetBytes($"\"{name}\":"), v))));

        var url = Gen.Frequency(
            (3, Json("\"https://r.test/1.png\"", "\" https://r.test/2.png\"", "\"\"", "\"relative/x.png\"")),
            (1, Json("\"https://\"", "\"http://host:99999/x.png\"", "\"http://a b/x.png\"")), // not URIs at all
            (1, wrong));
        var garment = ObjectOf(Field("type", Json("0", "1", "\"1\"")), Field("url", Json("\"https://img.test/g.png\"")));
        var task = ObjectOf(
            Field("status", Json("\"SUCCESS\"", "\"RUNNING\"", "\"WAITING\"", "\"FAILED\"", "\"PAUSED\"")),
            Field("results", ArrayOf(url, 4)),
            Field("inferenceMode", Json("0", "1", "\"2\"", "7")),
            Field("inference_mode", Json("0", "1", "\"2\"")),
            Field("model_image", Json("\"https://img.test/m.png\"")),
            Field("upper_image", garment));
        var data = ObjectOf(
            Field("result_key", Json("\"k\"", "\"rk-1\"", "\"  rk  \"")),
            Field("task_list", ArrayOf(Gen.Frequency((4, task), (1, wrong)), 4)));
        var envelope = ObjectOf(
            Field("code", Json("0", "\"0\"", "\" 0 \"", "\"23500008\"", "23500004", "\"23500011\"")),
            Field("success", Json("true", "\"true\"", "\"TRUE\"", "false")),
            Field("message", Json("\"success\"", "\"failed\"")),
            Field("requestId", Json("\"r\"")),
            Field("severity", Json("\"info\"")),
            Field("data", data));

        // A success envelope around such data as well, so the wrong types also reach the building of the job.
        var success = from inner in data
                      select Concat("""{"code":0,"success":true,"data":"""u8.ToArray(), inner, "}"u8.ToArray());
        return Gen.OneOf(envelope, success).Select(static b => ("wrong types", b));
    }

    /// <summary>(d) Any JSON value, mostly objects, with keys that are often the wire format's own.</summary>
    private static Gen<(string Origin, byte[] Bytes)> RandomJson() =>
        from value in Gen.Frequency((4, JsonObject(4)), (1, JsonValue(4)))
        from padding in Gen.Elements("", " ", "\r\n", "\uFEFF")
        select ("random JSON", Encoding.UTF8.GetBytes(padding + value));

    private static Gen<byte[]> ValidBody() =>
        Gen.Frequency((1, Gen.Constant(SampleSuccessBody)), (3, ValidJob.Select(static j => j.ToBody())));

    private static Gen<string> JsonValue(int depth) =>
        Gen.Choose(0, depth <= 0 ? 0 : 6).SelectMany(kind => kind switch
        {
            0 or 1 or 2 => JsonScalar(),
            3 or 4 => JsonObject(depth - 1),
            _ => from count in Gen.Choose(0, 4)
                 from items in Gen.ArrayOf(JsonValue(depth - 1), count)
                 select "[" + string.Join(",", items) + "]",
        });

    private static Gen<string> JsonObject(int depth) =>
        from count in Gen.Choose(0, 6)
        from members in Gen.ArrayOf(
            from key in Gen.Frequency((3, Gen.Elements(WireFieldNames)), (1, JsonStringContent()))
            from value in JsonValue(depth)
            select $"\"{key}\":{value}",
            count)
        select "{" + string.Join(",", members) + "}";

    private static Gen<string> JsonScalar() => Gen.OneOf(
        Gen.Elements("null", "true", "false", "0", "-0", "1e400", "-1e-400", "99999999999999999999999", "0.5", "1E+2"),
        ArbMap.Default.GeneratorFor<int>().Select(static i => i.ToString(CultureInfo.InvariantCulture)),
        ArbMap.Default.GeneratorFor<long>().Select(static i => i.ToString(CultureInfo.InvariantCulture)),
        ArbMap.Default.GeneratorFor<NormalFloat>().Select(static d => d.Get.ToString("R", CultureInfo.InvariantCulture)),
        JsonStringContent().Select(static s => $"\"{s}\""));

    /// <summary>The inside of a JSON string: plain and non-ASCII text, escapes, and lone surrogates.</summary>
    private static Gen<string> JsonStringContent()
    {
        var piece = Gen.Frequency(
            (6, Gen.Elements("a", "Z", "0", " ", "-", "/", ".", ":")),
            (2, Gen.Elements(@"\n", @"\""", @"\\", @"\/", @"\u00e9", @"\uD83D\uDE00", @"\uD800", @"\uDFFF", @"\u0000")),
            (1, Gen.Elements("é", "中", "😀", "\u00a0")));
        return from count in Gen.Choose(0, 12)
               from pieces in Gen.ArrayOf(piece, count)
               select string.Concat(pieces);
    }

    private static Gen<string> SafeText(int minLength, int maxLength) =>
        from length in Gen.Choose(minLength, maxLength)
        from chars in Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_".ToCharArray()), length)
        select new string(chars);

    private static Gen<string> UppercaseWord() =>
        from length in Gen.Choose(1, 12)
        from chars in Gen.ArrayOf(Gen.Elements("ABCDEFGHIJKLMNOPQRSTUVWXYZ_".ToCharArray()), length)
        select new string(chars);

    /// <summary>Header text as a transport could deliver it: no CR, LF or NUL, which never survive HTTP framing.</summary>
    private static Gen<string> HeaderText()
    {
        var character = Gen.Frequency(
            (8, Gen.Choose(0x20, 0x7E).Select(static c => (char)c)),
            (1, Gen.Choose(0xA0, 0xFF).Select(static c => (char)c)),
            (1, Gen.Elements('\t', '中', 'é', '\u2028')));
        return from length in Gen.Choose(0, 40)
               from chars in Gen.ArrayOf(character, length)
               select new string(chars);
    }

    private static Gen<byte[]> ObjectOf(params Gen<byte[]>[] fields) =>
        from parts in Gen.CollectToArray(fields)
        select (byte[])[(byte)'{', .. Join(parts.Where(static p => p.Length > 0)), (byte)'}'];

    private static Gen<byte[]> ArrayOf(Gen<byte[]> item, int maxCount) =>
        from count in Gen.Choose(0, maxCount)
        from items in Gen.ArrayOf(item, count)
        select (byte[])[(byte)'[', .. Join(items), (byte)']'];

    private static byte[] Join(IEnumerable<byte[]> parts) =>
        [.. parts.SelectMany(static (part, i) => i == 0 ? part : [(byte)',', .. part])];

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(static p => p)];
}
