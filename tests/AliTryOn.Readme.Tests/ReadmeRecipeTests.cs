using System.Net;
using System.Text;
using System.Text.Json;
using AliTryOn.Readme.Tests.Globals;
using AliTryOn.Readme.Tests.Support;
using AliTryOn.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AliTryOn.Readme.Tests;

/// <summary>
/// Every C# snippet of README.md, taken from the README's own text, compiled and run against the emulator (in memory,
/// or served on loopback where the snippet calls a service by its address), and what it is meant to do checked.
/// </summary>
public sealed class ReadmeRecipeTests(LoopbackEmulator server) : IClassFixture<LoopbackEmulator>
{
    /// <summary>The recipes this class runs (the S3 ones: <see cref="ReadmeS3RecipeTests"/>; the Redis one: <see cref="ReadmeRedisRecipeTests"/>); every C# block of the README must be one of them.</summary>
    private static readonly string[] Recipes =
    [
        "quick-start", "minimal-api", "emulator-client", "other-forms", "own-http-client", "submit-query-wait", "operation",
        "downloads", "bulk", "error-handling", "signing", "opentelemetry", "mock-models", "emulator-test", "emulator-server",
        "local-images", "app-image-host", "s3-host", "s3-host-di", "redis-rate-limit",
    ];

    [Fact]
    public void Every_csharp_block_of_the_readme_is_a_recipe_that_runs_here()
    {
        var blocks = ReadmeFile.CSharpBlocks();

        Assert.All(blocks, b => Assert.True(b.Recipe is not null, $"README.md line {b.Line}: a C# block without a <!-- recipe: name --> marker is not compiled by any test."));
        Assert.Equal(Recipes.Order(), blocks.Select(b => b.Recipe!).Distinct().Order());
    }

    [Fact]
    public async Task Quick_start_submits_waits_and_prints_the_result_links()
    {
        using var environment = new ScopedEnvironment(("ALITRYON_ENDPOINT", server.Address.AbsoluteUri), ("ALITRYON_APPCODE", LoopbackEmulator.AppCode));
        var printed = await CaptureConsoleAsync(() => ScriptRunner.RunAsync(ReadmeFile.Recipe("quick-start")));

        // The console is the process's: another test class may write to it meanwhile, so only the links are counted.
        var links = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith(server.Address.AbsoluteUri, StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, links.Length); // the loopback emulator's ResultsPerTask
        Assert.All(links, l => Assert.Contains("results/", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_minimal_api_binds_tasks_from_json_answers_jobs_as_json_unknown_keys_as_404_and_bad_input_as_400_naming_the_field()
    {
        var web = new WebAppGlobals(WebApplication.CreateBuilder());
        AppSettings(web.builder, ("AliTryOn:Endpoint", server.Address.AbsoluteUri), ("AliTryOn:AppCode", LoopbackEmulator.AppCode));
        await ScriptRunner.RunAsync(ReadmeFile.Recipe("minimal-api"), web);
        await using var app = web.Build();
        using var http = await StartAsync(app);

        using var submitted = await http.PostAsync("/try-on", Json("""{"modelImage":"https://img.example.com/me.jpg","upper":{"image":"https://img.example.com/coat.jpg","kind":"FlatLay"},"inferenceMode":"quality"}"""));
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var resultKey = await submitted.Content.ReadAsStringAsync(); // a string result is answered as text
        var sent = Assert.Single(server.Emulator.Requests, r => r.ResultKey == resultKey && r.Operation == TryOnEmulatorOperation.Submit);
        Assert.Contains("\"inferenceMode\":1", sent.Body, StringComparison.Ordinal);

        var job = JsonDocument.Parse(await http.GetStringAsync($"/try-on/{resultKey}")).RootElement;
        Assert.Equal(resultKey, job.GetProperty("resultKey").GetString());
        Assert.Equal(JsonValueKind.String, job.GetProperty("tasks")[0].GetProperty("status").ValueKind);
        Assert.False(job.GetProperty("tasks")[0].TryGetProperty("isTerminal", out _));

        // A key the service does not know is the caller's mistake: 404, not the server's 500.
        using var unknown = await http.GetAsync("/try-on/no-such-job");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        foreach (var (body, named) in new[]
        {
            ("""{"upper":{"image":"https://img.example.com/coat.jpg","kind":"FlatLay"}}""", "modelImage"),
            ("""{"modelImage":"https://img.example.com/me.jpg","upper":{"image":"https://img.example.com/coat.jpg","kind":"Sideways"}}""", "$.upper.kind"),
            ("""{"modelImage":"me.jpg","upper":{"image":"https://img.example.com/coat.jpg","kind":"FlatLay"}}""", "tasks[0].modelImage must be an absolute http or https URL"),
            ("""{"modelImage":"https://img.example.com/me.jpg"}""", "tasks[0] has no garment"),
        })
        {
            using var refused = await http.PostAsync("/try-on", Json(body));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains(named, JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_readme_s_appsettings_without_an_appcode_stops_the_start_saying_where_the_appcode_goes()
    {
        var builder = WebApplication.CreateBuilder();
        AppSettings(builder);
        builder.Services.AddTryOnClient();
        using var app = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<TryOnClient>());

        Assert.Contains("Configuration key 'AliTryOn:AppCode' (environment variable AliTryOn__AppCode) is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet user-secrets set \"AliTryOn:AppCode\"", error.Message, StringComparison.Ordinal);
        Assert.Equal("00:05:00", app.Configuration["AliTryOn:Polling:Timeout"]); // the README's JSON, comments and all, was read
    }

    [Fact]
    public async Task A_client_registered_on_the_emulator_works_with_nothing_configured()
    {
        var web = new WebAppGlobals(WebApplication.CreateBuilder());
        await ScriptRunner.RunAsync(ReadmeFile.Recipe("emulator-client"), web);
        await using var app = web.Build();

        var client = app.Services.GetRequiredService<TryOnClient>();
        var job = await client.SubmitAndWaitAsync(new TryOnTask(new Uri("https://img.example.com/me.jpg"), Upper: new GarmentImage(new Uri("https://img.example.com/top.jpg"), GarmentKind.FlatLay)));
        using var image = new MemoryStream();
        await client.DownloadResultAsync(job.ResultUrls[0], image);

        Assert.True(job.HasCompleted);
        Assert.Equal(1, app.Services.GetRequiredService<TryOnEmulator>().JobCount);
        Assert.True(image.Length > 0);
    }

    [Fact]
    public async Task The_other_forms_register_the_default_client_and_named_ones_for_two_appcodes()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TryOn:Endpoint"] = "https://tryon.example.com",
            ["TryOn:Eu:Endpoint"] = "https://eu.tryon.example.com",
            ["TryOn:Eu:AppCode"] = "eu-appcode",
            ["TryOn:Cn:Endpoint"] = "https://cn.tryon.example.com",
            ["TryOn:Cn:AppCode"] = "cn-appcode",
        }).Build();
        var services = new ServiceCollection().AddLogging();

        await ScriptRunner.RunAsync(ReadmeFile.Recipe("other-forms"), new ServicesGlobals(services, configuration, "default-appcode"));
        using var provider = services.BuildServiceProvider();

        Assert.NotNull(provider.GetRequiredService<TryOnClient>());
        Assert.NotNull(provider.GetRequiredKeyedService<TryOnClient>("eu"));
        Assert.NotNull(provider.GetRequiredKeyedService<TryOnClient>("cn"));
        var options = provider.GetRequiredService<IOptionsMonitor<TryOnClientOptions>>();
        Assert.Equal(new Uri("https://eu.tryon.example.com"), options.Get("eu").Endpoint);
        Assert.Equal("cn-appcode", options.Get("cn").AppCode);
    }

    [Fact]
    public async Task A_client_over_an_http_client_of_your_own_submits()
    {
        var emulator = new TryOnEmulator();
        var state = await ScriptRunner.RunAsync(ReadmeFile.Recipe("own-http-client"), new OwnHttpClientGlobals(emulator.CreateClientOptions(), emulator.CreateHandler()));

        var job = await ((TryOnClient)state.GetVariable("client").Value).SubmitAsync(new TryOnTask(new Uri("https://img.example.com/me.jpg"), Upper: new GarmentImage(new Uri("https://img.example.com/top.jpg"), GarmentKind.FlatLay)));

        Assert.Equal(1, emulator.JobCount);
        Assert.False(string.IsNullOrEmpty(job.ResultKey));
    }

    [Fact]
    public async Task Submitting_querying_and_waiting_runs_a_job_of_two_tasks_to_the_end()
    {
        var (emulator, client) = QuickEmulatorClient();

        var printed = await CaptureConsoleAsync(() => ScriptRunner.RunAsync(ReadmeFile.Recipe("submit-query-wait"), new ClientGlobals(client)));

        Assert.Contains("task 0: 4 images", printed, StringComparison.Ordinal);
        Assert.Contains("task 1: 4 images", printed, StringComparison.Ordinal);
        Assert.Contains("SUCCESS, SUCCESS", printed, StringComparison.Ordinal);
        Assert.Equal(1, emulator.JobCount);
    }

    [Fact]
    public async Task A_job_as_an_operation_is_updated_waited_for_and_rebuilt_from_its_key()
    {
        var (emulator, client) = QuickEmulatorClient();

        ScriptState<object>? state = null;
        var printed = await CaptureConsoleAsync(async () => state = await ScriptRunner.RunAsync(ReadmeFile.Recipe("operation"), new ClientGlobals(client)));

        var key = (string)state!.GetVariable("key").Value;
        var again = (TryOnJob)state.GetVariable("again").Value;
        Assert.Matches($"^{key}: (WAITING|RUNNING|SUCCESS)\ncompleted: True, 4 images\n$", printed.Replace("\r", string.Empty, StringComparison.Ordinal));
        Assert.Equal(key, again.ResultKey);
        Assert.True(again.HasCompleted);
        Assert.Equal(1, emulator.JobCount);
        Assert.Equal(1, emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Submit));
    }

    [Fact]
    public async Task Downloads_save_every_result_one_to_a_file_and_one_to_a_response()
    {
        var (_, client) = QuickEmulatorClient();
        var submitted = await client.SubmitAndWaitAsync([Task(0), Task(1)]);
        using var folder = new ScopedFolder();
        var globals = new ClientGlobals(client) { resultKey = submitted.ResultKey, folder = "again" };

        await ScriptRunner.RunAsync(ReadmeFile.Recipe("downloads"), globals);

        Assert.Equal(8, Directory.GetFiles(Path.Combine(folder.Path, "tryon-output")).Length);
        Assert.Equal(8, Directory.GetFiles(Path.Combine(folder.Path, "again")).Length);
        Assert.True(new FileInfo(Path.Combine(folder.Path, "first.png")).Length > 0);
        Assert.True(globals.httpContext.Response.Body.Length > 0);
    }

    [Fact]
    public async Task A_bulk_run_with_the_readme_s_store_resumes_without_submitting_again()
    {
        var (emulator, client) = QuickEmulatorClient();
        using var folder = new ScopedFolder();
        var globals = new ClientGlobals(client) { tasks = [.. Enumerable.Range(0, 12).Select(Task)] };

        await ScriptRunner.RunAsync(ReadmeFile.Recipe("bulk"), globals);
        await ScriptRunner.RunAsync(ReadmeFile.Recipe("bulk"), globals);

        Assert.Equal(2, emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Submit)); // 12 tasks in 2 jobs, once
        Assert.Equal(4, File.ReadAllLines(Path.Combine(folder.Path, "tryon-run.jsonl")).Length); // each recorded before it was sent, then with its key
        Assert.Equal(12, Directory.GetFiles(Path.Combine(folder.Path, "out"), "*.png").Length);
    }

    [Fact]
    public async Task The_readme_s_store_resumes_a_batch_left_unknown_by_a_crash_without_submitting_it_and_submits_a_refused_one_again()
    {
        var (emulator, client) = QuickEmulatorClient();
        using var folder = new ScopedFolder();
        var globals = new ClientGlobals(client) { tasks = [.. Enumerable.Range(0, 12).Select(Task)] };
        // What a process killed during the first batch's submit leaves: its record, without a key.
        File.WriteAllLines(Path.Combine(folder.Path, "tryon-run.jsonl"), [JsonSerializer.Serialize(new { Kind = "sending", Batch = new TryOnBulkBatch(null, [.. Enumerable.Range(0, 10)]) })]);
        emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.QuotaExhausted()); // the other batch, refused once

        await ScriptRunner.RunAsync(ReadmeFile.Recipe("bulk"), globals);
        await ScriptRunner.RunAsync(ReadmeFile.Recipe("bulk"), globals);

        var submits = emulator.Requests.Where(r => r.Operation == TryOnEmulatorOperation.Submit).ToArray();
        Assert.Equal(2, submits.Length); // the unknown batch never; the refused one, then again
        Assert.Equal(1, submits.Count(r => r.CreatedJob));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(folder.Path, "out"), "*.png").Length);
    }

    [Fact]
    public async Task Error_handling_catches_the_exceptions_it_names()
    {
        var (emulator, client) = QuickEmulatorClient();
        var globals = new ClientGlobals(client) { tasks = [Task(0)] };
        emulator.Faults.Add(TryOnEmulatorOperation.Submit, TryOnEmulatorFault.QuotaExhausted());

        await ScriptRunner.RunAsync(ReadmeFile.Recipe("error-handling"), globals);
        Assert.Null(globals.job);

        await ScriptRunner.RunAsync(ReadmeFile.Recipe("error-handling"), globals);
        Assert.NotNull(globals.job);
    }

    [Fact]
    public async Task A_client_signing_with_an_appkey_and_appsecret_is_accepted_by_a_service_that_checks_signatures()
    {
        using var environment = new ScopedEnvironment(
            ("ALITRYON_ENDPOINT", server.Address.AbsoluteUri), ("ALITRYON_APPKEY", LoopbackEmulator.AppKey), ("ALITRYON_APPSECRET", LoopbackEmulator.AppSecret));
        var state = await ScriptRunner.RunAsync(ReadmeFile.Recipe("signing"));

        var job = await ((TryOnClient)state.GetVariable("client").Value).SubmitAsync(Task(0));

        var request = Assert.Single(server.Emulator.Requests, r => r.ResultKey == job.ResultKey);
        Assert.Equal(LoopbackEmulator.AppKey, request.Headers["X-Ca-Key"]);
    }

    [Fact]
    public async Task OpenTelemetry_registers_tracing_and_metrics_for_the_sdk()
    {
        var web = new WebAppGlobals(WebApplication.CreateBuilder());
        await ScriptRunner.RunAsync(ReadmeFile.Recipe("opentelemetry"), web);
        await using var app = web.Build();

        Assert.NotNull(app.Services.GetService<TracerProvider>());
        Assert.NotNull(app.Services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task Mock_models_are_built_with_public_constructors()
    {
        var state = await ScriptRunner.RunAsync(ReadmeFile.Recipe("mock-models"));

        var job = (TryOnJob)state.GetVariable("job").Value;
        Assert.True(job.HasCompleted);
        Assert.Single(job.ResultUrls);
    }

    [Fact]
    public async Task Local_images_are_checked_published_once_each_and_submitted_by_url()
    {
        using var folder = new ScopedFolder();
        await File.WriteAllBytesAsync("me.png", TestImages.Png(600, 800));
        await File.WriteAllBytesAsync("coat.png", TestImages.Png(700, 900));

        var printed = await CaptureConsoleAsync(() => ScriptRunner.RunAsync(ReadmeFile.Recipe("local-images")));

        Assert.Matches("^[0-9a-f]{32}: 2 images published\n$", printed); // no problem printed before it
    }

    [Fact]
    public async Task The_app_image_host_publishes_a_shoppers_upload_at_its_own_signed_url_and_refuses_a_photo_too_small()
    {
        // The app's public address must be known before the app is built, as in production: a port picked first.
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var publicBase = $"http://127.0.0.1:{port}/";
        var web = new WebAppGlobals(WebApplication.CreateBuilder());
        web.builder.WebHost.UseUrls(publicBase);
        web.builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AliTryOn:Endpoint"] = server.Address.AbsoluteUri,
            ["AliTryOn:AppCode"] = LoopbackEmulator.AppCode,
            ["AliTryOn:Images:App:PublicBaseUrl"] = publicBase,
            ["AliTryOn:Images:App:SigningKey"] = "readme-test-signing-key-of-at-least-32-bytes",
        });
        await ScriptRunner.RunAsync(ReadmeFile.Recipe("app-image-host"), web);
        await using var app = web.Build();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(publicBase) };
        var photo = TestImages.Png(600, 800);

        using var accepted = await http.PostAsync("/try-on/upload", Upload(photo, "me.png"));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var resultKey = JsonSerializer.Deserialize<string>(await accepted.Content.ReadAsStringAsync())!;
        var sent = Assert.Single(server.Emulator.Requests, r => r.ResultKey == resultKey && r.Operation == TryOnEmulatorOperation.Submit);
        var model = JsonDocument.Parse(sent.Body!).RootElement.GetProperty("data").GetProperty("task_list")[0].GetProperty("model_image").GetString()!;
        Assert.StartsWith(publicBase + "tryon-images/", model, StringComparison.Ordinal);
        using (var anonymous = new HttpClient())
        {
            Assert.Equal(photo, await anonymous.GetByteArrayAsync(model)); // what the service downloads, with no credential
        }

        using var refused = await http.PostAsync("/try-on/upload", Upload(TestImages.Png(300, 300), "small.png"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("small.png is 300 × 300 px; each side must be 400 to 4096 px", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(server.Emulator.Requests, r => r.Operation == TryOnEmulatorOperation.Submit && r.Body!.Contains(publicBase, StringComparison.Ordinal));

        static MultipartFormDataContent Upload(byte[] image, string name)
        {
            var file = new ByteArrayContent(image);
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
            return new MultipartFormDataContent { { file, "photo", name } };
        }
    }

    [Fact]
    public async Task The_emulator_test_passes_as_written() => await ScriptRunner.RunAsync(ReadmeFile.Recipe("emulator-test"));

    [Fact]
    public async Task The_emulator_served_by_an_app_answers_a_submit()
    {
        var web = new WebAppGlobals(WebApplication.CreateBuilder());
        await ScriptRunner.RunAsync(ReadmeFile.Recipe("emulator-server"), web);
        await using var app = web.Build();
        using var http = await StartAsync(app);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/emulator/api/v2/tryon/submit")
        {
            Content = Json("""{"data":{"task_list":[{"model_image":"https://img.example.com/m.jpg","upper_image":{"type":0,"url":"https://img.example.com/t.jpg"}}]}}"""),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "APPCODE " + TryOnEmulator.DefaultAppCode);
        request.Headers.TryAddWithoutValidation("X-Ca-Nonce", Guid.NewGuid().ToString("N"));
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("result_key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static TryOnTask Task(int i) => new(new Uri($"https://img.example.com/model-{i}.jpg"), Upper: new GarmentImage(new Uri($"https://img.example.com/top-{i}.jpg"), GarmentKind.FlatLay));

    /// <summary>An in-memory emulator with quick jobs, and a client on it that polls often.</summary>
    private static (TryOnEmulator Emulator, TryOnClient Client) QuickEmulatorClient()
    {
        var emulator = new TryOnEmulator(new TryOnEmulatorOptions
        {
            QueueTime = TimeSpan.FromMilliseconds(20),
            FastDuration = TimeSpan.FromMilliseconds(60),
            QualityDuration = TimeSpan.FromMilliseconds(100),
        });
        return (emulator, emulator.CreateClient(o =>
        {
            o.Polling.InitialDelay = TimeSpan.FromMilliseconds(20);
            o.Polling.MaxDelay = TimeSpan.FromMilliseconds(50);
        }));
    }

    /// <summary>The README's appsettings.json, as the app's configuration, and what user secrets or the environment would add.</summary>
    private static void AppSettings(WebApplicationBuilder builder, params (string Key, string Value)[] secrets)
    {
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(ReadmeFile.Recipe("appsettings", "json"))));
        builder.Configuration.AddInMemoryCollection(secrets.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
    }

    private static async Task<HttpClient> StartAsync(WebApplication app)
    {
        app.Urls.Add("http://127.0.0.1:0");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new HttpClient { BaseAddress = new Uri(address) };
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<string> CaptureConsoleAsync(Func<Task> run)
    {
        var previous = Console.Out;
        using var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            await run();
        }
        finally
        {
            Console.SetOut(previous);
        }

        return output.ToString().Replace("\r", string.Empty, StringComparison.Ordinal);
    }
}
