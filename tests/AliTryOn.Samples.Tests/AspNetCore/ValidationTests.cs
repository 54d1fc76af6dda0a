using System.Net;

namespace AliTryOn.Samples.Tests.AspNetCore;

/// <summary>Bad input is answered 400 with a ProblemDetails naming the field, and nothing reaches the service.</summary>
public sealed class ValidationTests : SampleAppTest
{
    public static TheoryData<string, string> InvalidRequests => new()
    {
        {
            """{ "tasks": [ { "modelImage": "https://img.example/m.jpg", "upper": { "image": "ftp://img.example/s.jpg" } } ] }""",
            "tasks[0].upper.image must be an absolute http or https URL; its scheme is 'ftp'"
        },
        {
            """{ "tasks": [ { "modelImage": "https://img.example/m.jpg", "upper": { "image": "https://img.example/s.jpg" } }, { "modelImage": "https://img.example/m.jpg" } ] }""",
            "tasks[1] has no garment"
        },
        {
            """{ "tasks": [ { "lower": { "image": "https://img.example/jeans.jpg" } } ] }""",
            "tasks[0].modelImage is required"
        },
        {
            """{ "tasks": [ { "modelImage": "model.jpg", "upper": { "image": "https://img.example/s.jpg" } } ] }""",
            "tasks[0].modelImage must be an absolute http or https URL; it is relative"
        },
        {
            """{ "tasks": [ { "modelImage": "https://img.example/m.jpg", "fullBody": { "image": "https://img.example/d.jpg", "kind": 7 } } ] }""",
            "tasks[0].fullBody.kind"
        },
        {
            // The field by its name in this request (image), however the app's own check words it.
            """{ "tasks": [ { "modelImage": "https://img.example/m.jpg", "upper": { "image": "http://[::1" } } ] }""",
            "tasks[0].upper.image is not a URL"
        },
        { """{ "tasks": [] }""", "At least one task is required" },
        { "{}", "At least one task is required" },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task The_sdks_checks_become_400_naming_the_field(string body, string expected)
    {
        using var response = await PostAsync(body);

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        Assert.Empty(Emulator.Requests); // checked before sending: nothing billed

        // Written for a person, with the field as the client sent it.
        Assert.DoesNotContain("(Parameter", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Actual value", detail, StringComparison.Ordinal);
        if (expected.StartsWith("tasks[", StringComparison.Ordinal))
        {
            var field = Assert.Single(problem.GetProperty("errors").EnumerateObject()).Name;
            Assert.StartsWith(field, expected, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task More_than_ten_tasks_is_400()
    {
        var task = """{ "modelImage": "https://img.example/m.jpg", "upper": { "image": "https://img.example/s.jpg" } }""";
        using var response = await PostAsync($$"""{ "tasks": [ {{string.Join(",", Enumerable.Repeat(task, 11))}} ] }""");

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("A job takes at most 10 tasks; 11 were given. Submit them in batches of 10 or fewer (RunBulkAsync does it for you).", problem.GetProperty("detail").GetString());
        Assert.Empty(Emulator.Requests);
    }

    [Fact]
    public async Task A_body_that_is_not_json_by_its_content_type_is_415_problem_json_saying_what_to_send()
    {
        using var response = await Client.PostAsync("/tryon", new StringContent("model=https://img.example/m.jpg", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        var problem = await ReadProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("Content-Type: application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Service", problem.ToString(), StringComparison.Ordinal);
        Assert.Empty(Emulator.Requests);
    }

    [Fact]
    public async Task A_body_larger_than_a_try_on_request_is_413_problem_json()
    {
        // The limit is the server's (Kestrel's), which the in-memory test server does not enforce: this test runs the
        // app on Kestrel, on a loopback port, as it runs in production.
        using var factory = new SampleAppFactory();
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();
        var task = """{ "modelImage": "https://img.example/m.jpg", "upper": { "image": "https://img.example/s.jpg" } }""";
        var body = $$"""{ "tasks": [ {{string.Join(",", Enumerable.Repeat(task, 1000))}} ] }""";
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(body) > 64 * 1024);

        using var response = await client.PostAsync("/tryon", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await ReadProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("at most 64 KiB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(factory.Emulator.Requests);
    }

    [Fact]
    public async Task An_unknown_address_is_404_problem_json()
    {
        using var response = await Client.GetAsync("/tryon/rk/somewhere/else");

        var problem = await ReadProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("OpenAPI document", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "tasks": [ { "modelImage": "https://img.example/m.jpg", "upper": { "image": "https://img.example/s.jpg", "kind": "Folded" } } ] }""", "The value at tasks[0].upper.kind is not valid")]
    [InlineData("""{ "tasks": [ { "modelImage": "https://img.example/m.jpg", "inferenceMode": "Slow" } ] }""", "The value at tasks[0].inferenceMode is not valid")]
    [InlineData("""{ "tasks": 3 }""", "The value at tasks is not valid")]
    public async Task Json_that_does_not_fit_is_400_naming_where(string body, string path)
    {
        using var response = await PostAsync(body);

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(path, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Emulator.Requests);
    }

    [Theory]
    [InlineData("""{"tasks":[{"modelImage":"https://example.com/m.jpg",}]}""")]
    [InlineData("""{"tasks":[{""")]
    [InlineData("""{"tasks":[{"modelImage":"https://exa""")]
    public async Task Json_that_does_not_parse_is_400_saying_so_not_naming_a_field(string body)
    {
        using var response = await PostAsync(body);

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("Malformed request", problem.GetProperty("title").GetString());
        Assert.StartsWith("The body is not valid JSON (", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(problem.TryGetProperty("errors", out _));
        Assert.Empty(Emulator.Requests);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_400()
    {
        using var response = await PostAsync("model=https://img.example/m.jpg");

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The body is not valid JSON ('m' is an invalid start of a value): send the try-on request as application/json.", problem.GetProperty("detail").GetString());
        Assert.Empty(Emulator.Requests);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    public async Task A_missing_body_is_400_saying_what_to_send(string body)
    {
        using var response = await PostAsync(body);

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("send a JSON body such as { \"tasks\"", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Service", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("parameter", detail, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Emulator.Requests);
    }

    [Fact]
    public async Task The_api_is_described_in_an_openapi_document()
    {
        var document = await GetJsonAsync("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/tryon", out var submit));
        Assert.True(submit.TryGetProperty("post", out _));
        Assert.True(paths.TryGetProperty("/tryon/{resultKey}", out _));
    }
}
