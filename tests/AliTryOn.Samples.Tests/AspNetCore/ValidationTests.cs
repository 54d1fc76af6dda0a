using System.Net;

namespace AliTryOn.Samples.Tests.AspNetCore;

/// <summary>Bad input is answered 400 with a ProblemDetails naming the field, and nothing reaches the service.</summary>
public sealed class ValidationTests : SampleAppTest
{
    public static TheoryData<string, string> InvalidRequests => new()
    {
        {
            """{ "tasks": [ { "modelImageUrl": "https://img.example/m.jpg", "upper": { "url": "ftp://img.example/s.jpg" } } ] }""",
            "tasks[0].upper.url must be an absolute http or https URL; its scheme is 'ftp'"
        },
        {
            """{ "tasks": [ { "modelImageUrl": "https://img.example/m.jpg", "upper": { "url": "https://img.example/s.jpg" } }, { "modelImageUrl": "https://img.example/m.jpg" } ] }""",
            "tasks[1] has no garment"
        },
        {
            """{ "tasks": [ { "lower": { "url": "https://img.example/jeans.jpg" } } ] }""",
            "tasks[0].modelImageUrl is required"
        },
        {
            """{ "tasks": [ { "modelImageUrl": "model.jpg", "upper": { "url": "https://img.example/s.jpg" } } ] }""",
            "tasks[0].modelImageUrl must be an absolute http or https URL; it is relative"
        },
        {
            """{ "tasks": [ { "modelImageUrl": "https://img.example/m.jpg", "fullBody": { "url": "https://img.example/d.jpg", "kind": 7 } } ] }""",
            "$.tasks[0].fullBody.kind"
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
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Emulator.Requests); // checked before sending: nothing billed
    }

    [Fact]
    public async Task More_than_ten_tasks_is_400()
    {
        var task = """{ "modelImageUrl": "https://img.example/m.jpg", "upper": { "url": "https://img.example/s.jpg" } }""";
        using var response = await PostAsync($$"""{ "tasks": [ {{string.Join(",", Enumerable.Repeat(task, 11))}} ] }""");

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("at most 10 tasks", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Emulator.Requests);
    }

    [Theory]
    [InlineData("""{ "tasks": [ { "modelImageUrl": "https://img.example/m.jpg", "upper": { "url": "https://img.example/s.jpg", "kind": "Folded" } } ] }""", "$.tasks[0].upper.kind")]
    [InlineData("""{ "tasks": [ { "modelImageUrl": "https://img.example/m.jpg", "inferenceMode": "Slow" } ] }""", "$.tasks[0].inferenceMode")]
    [InlineData("""{ "tasks": 3 }""", "$.tasks")]
    public async Task Json_that_does_not_fit_is_400_naming_where(string body, string path)
    {
        using var response = await PostAsync(body);

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(path, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Emulator.Requests);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_400()
    {
        using var response = await PostAsync("model=https://img.example/m.jpg");

        await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Empty(Emulator.Requests);
    }
}
