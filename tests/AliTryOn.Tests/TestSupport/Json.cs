namespace AliTryOn.Tests.TestSupport;

/// <summary>Response bodies in the service's format.</summary>
internal static class Json
{
    /// <summary>The result key a request to <paramref name="uri"/> queries; <see langword="null"/> for any other request.</summary>
    public static string? QueriedKey(Uri uri, string? body) => uri.AbsolutePath.EndsWith("/query", StringComparison.Ordinal) && body is not null
        ? System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("result_key").GetString()
        : null;

    public static string Job(string resultKey, params string[] statuses) =>
        $$"""
        {"code":0,"data":{"result_key":"{{resultKey}}","task_list":[{{string.Join(",", statuses.Select(Task))}}]},"message":"success","requestId":"req-{{resultKey}}","severity":"info","success":true}
        """;

    public static string Error(string code, string message, int? codeAsNumber = null, bool success = false) =>
        $$"""
        {"code":{{(codeAsNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "\"" + code + "\"")}},"message":"{{message}}","requestId":"req-err","severity":"error","success":{{(success ? "true" : "false")}}}
        """;

    private static string Task(string status, int index) => status == "SUCCESS"
        ? $$"""{"status":"SUCCESS","results":["https://results.example.test/{{index}}-a.png","https://results.example.test/{{index}}-b.png"]}"""
        : $$"""{"status":"{{status}}"}""";
}
