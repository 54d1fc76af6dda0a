using System.Net;
using AliTryOn.Tests.TestSupport;

namespace AliTryOn.Tests.Client;

/// <summary>Bad input is refused before any HTTP call, with a message naming the task index and field.</summary>
public class RequestValidationTests
{
    private static readonly Uri Image = new("https://img.example.test/a.png");
    private static readonly GarmentImage Top = new(Image, GarmentKind.FlatLay);

    public static TheoryData<string, TryOnTask[], Type, string> InvalidSubmissions => new()
    {
        { "empty list", [], typeof(TryOnInvalidTaskException), "At least one task" },
        { "eleven tasks", Enumerable.Range(0, 11).Select(TestOptions.Task).ToArray(), typeof(TryOnInvalidTaskException), "at most 10 tasks; 11" },
        { "null task", [TestOptions.Task(), null!], typeof(TryOnInvalidTaskException), "tasks[1] is null" },
        { "no model image", [new TryOnTask(null!, Top)], typeof(TryOnInvalidTaskException), "tasks[0].modelImage is required" },
        { "relative model image", [new TryOnTask(new Uri("model.png", UriKind.Relative), Top)], typeof(TryOnInvalidTaskException), "tasks[0].modelImage must be an absolute http or https URL; it is relative" },
        { "ftp model image", [TestOptions.Task(), new TryOnTask(new Uri("ftp://img.example.test/m.png"), Top)], typeof(TryOnInvalidTaskException), "tasks[1].modelImage must be an absolute http or https URL; its scheme is 'ftp'" },
        { "file garment", [new TryOnTask(Image, Lower: new GarmentImage(new Uri("file:///tmp/pants.png"), GarmentKind.FlatLay))], typeof(TryOnInvalidTaskException), "tasks[0].lower.image must be an absolute http or https URL; its scheme is 'file'" },
        { "no garment", [TestOptions.Task(), TestOptions.Task(), new TryOnTask(Image)], typeof(TryOnInvalidTaskException), "tasks[2] has no garment" },
        { "garment without url", [new TryOnTask(Image, FullBody: new GarmentImage(null!, GarmentKind.WornByModel))], typeof(TryOnInvalidTaskException), "tasks[0].fullBody.image is required" },
        { "undefined garment kind", [new TryOnTask(Image, Upper: new GarmentImage(Image, (GarmentKind)7))], typeof(TryOnInvalidTaskException), "tasks[0].upper.kind must be FlatLay or WornByModel; it is 7" },
        { "undefined mode", [new TryOnTask(Image, Top, InferenceMode: (InferenceMode)2)], typeof(TryOnInvalidTaskException), "tasks[0].inferenceMode must be Fast or Quality; it is 2" },
    };

    [Theory]
    [MemberData(nameof(InvalidSubmissions))]
    public async Task Invalid_submissions_throw_a_named_argument_error_and_send_nothing(string name, TryOnTask[] tasks, Type expected, string message)
    {
        _ = name;
        var (client, transport) = Create();

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => client.SubmitAsync(tasks));

        Assert.Equal(expected, error.GetType());
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal("tasks", error.ParamName);
        // Written for a person: no "(Parameter 'tasks')", no "Actual value was 11."
        Assert.DoesNotContain("(Parameter", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Actual value", error.Message, StringComparison.Ordinal);
        if (message.StartsWith("tasks[", StringComparison.Ordinal))
        {
            // The field, as in the tasks' JSON.
            Assert.StartsWith(((TryOnInvalidTaskException)error).Field!, message, StringComparison.Ordinal);
        }

        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task Messages_never_quote_the_url_itself()
    {
        var (client, _) = Create();
        var signed = new Uri("ftp://img.example.test/m.png?Signature=SECRET-TOKEN");

        var error = await Assert.ThrowsAsync<TryOnInvalidTaskException>(() => client.SubmitAsync(new TryOnTask(signed, Top)));

        Assert.DoesNotContain("SECRET-TOKEN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Null_list_and_null_single_task_are_refused()
    {
        var (client, transport) = Create();

        await Assert.ThrowsAsync<ArgumentNullException>("tasks", () => client.SubmitAsync((IEnumerable<TryOnTask>)null!));
        await Assert.ThrowsAsync<ArgumentNullException>("task", () => client.SubmitAsync((TryOnTask)null!));
        await Assert.ThrowsAsync<ArgumentNullException>("task", () => client.SubmitAndWaitAsync((TryOnTask)null!));
        Assert.Empty(transport.Requests);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Empty_result_keys_are_refused_before_any_call(string resultKey)
    {
        var (client, transport) = Create();

        var error = await Assert.ThrowsAsync<ArgumentException>("resultKey", () => client.QueryAsync(resultKey));
        await Assert.ThrowsAsync<ArgumentException>("resultKey", () => client.WaitForCompletionAsync(resultKey));
        Assert.StartsWith("The result key must not be empty or whitespace.", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentNullException>("resultKey", () => client.QueryAsync(null!));
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task Ten_tasks_are_accepted_and_sent_in_one_call_in_order()
    {
        var (client, transport) = Create();

        await client.SubmitAsync(Enumerable.Range(0, 10).Select(TestOptions.Task));

        var body = transport.Requests.Single().Body!;
        for (var i = 0; i < 10; i++)
        {
            Assert.Contains($"model-{i}.png", body, StringComparison.Ordinal);
        }

        Assert.True(body.IndexOf("model-3.png", StringComparison.Ordinal) < body.IndexOf("model-4.png", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_garment_slot_alone_is_enough()
    {
        var (client, transport) = Create();

        await client.SubmitAsync([
            new TryOnTask(Image, Upper: Top),
            new TryOnTask(Image, Lower: Top),
            new TryOnTask(Image, FullBody: Top),
            new TryOnTask(Image, Top, Top, Top, InferenceMode.Quality)]);

        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task Plain_http_image_urls_are_accepted_and_sent_as_given()
    {
        // The service fetches the images itself; many catalogues still serve them over http.
        var (client, transport) = Create();
        var http = new GarmentImage(new Uri("http://img.example.test/top.png"), GarmentKind.FlatLay);

        await client.SubmitAsync([
            new TryOnTask(new Uri("http://img.example.test/model.png"), Upper: http),
            new TryOnTask(Image, Lower: http),
            new TryOnTask(Image, FullBody: http)]);

        var body = Assert.Single(transport.Requests).Body!;
        Assert.Contains("\"http://img.example.test/model.png\"", body, StringComparison.Ordinal);
        Assert.Equal(3, body.Split("\"http://img.example.test/top.png\"").Length - 1);
    }

    private static (TryOnClient Client, RecordingHandler Transport) Create()
    {
        var transport = new RecordingHandler(HttpStatusCode.OK, Json.Job("k", "WAITING"));
        return (new TryOnClient(TestOptions.Create(), transport), transport);
    }
}
