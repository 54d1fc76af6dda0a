using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AliTryOn.Cli.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AliTryOn.Cli.Tests.EndToEnd;

/// <summary>
/// A small stand-in for the service written from the contract alone, not the project's emulator: on 127.0.0.1 (a port
/// the system picks), every submit creates a job whose tasks are done at once; a task whose model URL contains "broken"
/// answers with a result link that is not a URL (<c>oss://…</c>); the others' links are served as PNG bytes.
/// </summary>
public sealed class IndependentService : IAsyncDisposable
{
    public const string AppCode = "independent-appcode";

    private readonly Dictionary<string, string[]> _models = [];
    private LoopbackApp _app = null!;
    private int _submits;

    private IndependentService()
    {
    }

    public Uri Address => _app.Address;

    public int Submits => Volatile.Read(ref _submits);

    /// <summary>Queries received.</summary>
    public int Queries => Volatile.Read(ref _queries);

    private int _queries;

    /// <summary>Queries answer every task <c>RUNNING</c>, as for a job that has not ended yet.</summary>
    public bool Running { get; set; }

    /// <summary>Result links answer 403, as expired signed links do.</summary>
    public bool LinksExpired { get; set; }

    /// <summary>When set, each image is sent only once a permit of this is released for it, so a test decides when.</summary>
    public SemaphoreSlim? HeldImages { get; set; }

    /// <summary>
    /// When set, each submit creates its job and then answers only once a permit of this is released for it, as a
    /// service whose answer is slow to come: a test interrupts the client meanwhile.
    /// </summary>
    public SemaphoreSlim? HeldSubmits { get; set; }

    /// <summary>The images each task answers (1 unless set): <c>/img/{key}-{task}-{n}.png</c>.</summary>
    public int ResultsPerTask { get; set; } = 1;

    /// <summary>The names of the images asked for, in the order the requests came.</summary>
    public IReadOnlyList<string> ImagesAsked => [.. _imagesAsked];

    private readonly ConcurrentQueue<string> _imagesAsked = new();

    /// <summary>Image requests received.</summary>
    public int ImageRequests => Volatile.Read(ref _imageRequests);

    /// <summary>The most image requests under way at once.</summary>
    public int MostImagesAtOnce => Volatile.Read(ref _mostImagesAtOnce);

    private int _imageRequests;
    private int _imagesAtOnce;
    private int _mostImagesAtOnce;

    public static async Task<IndependentService> StartAsync()
    {
        var service = new IndependentService();
        service._app = await LoopbackApp.StartAsync(app =>
        {
            app.MapPost("/api/v2/tryon/submit", service.SubmitAsync);
            app.MapPost("/api/v2/tryon/query", service.QueryAsync);
            app.MapGet("/img/{name}", service.ImageAsync);
        });
        return service;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IResult> ImageAsync(string name, CancellationToken cancellationToken)
    {
        // Counted at once before the request is: a test that sees the request sees it in the count at once too.
        var atOnce = Interlocked.Increment(ref _imagesAtOnce);
        for (var most = MostImagesAtOnce; atOnce > most && Interlocked.CompareExchange(ref _mostImagesAtOnce, atOnce, most) != most; most = MostImagesAtOnce)
        {
        }

        _imagesAsked.Enqueue(name);
        Interlocked.Increment(ref _imageRequests);

        try
        {
            if (HeldImages is { } held)
            {
                await held.WaitAsync(cancellationToken);
            }
        }
        finally
        {
            // Before the answer is written, so the client cannot start its next download while this one still counts.
            Interlocked.Decrement(ref _imagesAtOnce);
        }

        return LinksExpired
            ? Results.StatusCode(403)
            : Results.Bytes([0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10], "image/png");
    }

    private async Task<IResult> SubmitAsync(HttpRequest request)
    {
        if (request.Headers.Authorization != "APPCODE " + AppCode)
        {
            return Results.Json(new JsonObject { ["code"] = 23500001, ["success"] = false }, statusCode: 401);
        }

        var body = (await JsonNode.ParseAsync(request.Body))!;
        var tasks = body["data"]!["task_list"]!.AsArray();
        var key = $"job-{Interlocked.Increment(ref _submits)}";
        lock (_models)
        {
            _models[key] = [.. tasks.Select(t => (string)t!["model_image"]!)];
        }

        if (HeldSubmits is { } held)
        {
            // Not cancelled with the request: the job exists whether or not its client still listens.
            await held.WaitAsync();
        }

        return Results.Json(Envelope(key, [.. tasks.Select(_ => new JsonObject { ["status"] = "WAITING" })]));
    }

    private async Task<IResult> QueryAsync(HttpRequest request)
    {
        Interlocked.Increment(ref _queries);
        var key = (string)(await JsonNode.ParseAsync(request.Body))!["data"]!["result_key"]!;
        string[]? models;
        lock (_models)
        {
            _models.TryGetValue(key, out models);
        }

        if (models is null)
        {
            return Results.Json(new JsonObject { ["code"] = 23500008, ["message"] = "No records found related to the specified resultKey parameter", ["success"] = false }, statusCode: 400);
        }

        if (Running)
        {
            return Results.Json(Envelope(key, [.. models.Select(_ => new JsonObject { ["status"] = "RUNNING" })]));
        }

        return Results.Json(Envelope(key, [.. models.Select((model, i) => new JsonObject
        {
            ["status"] = "SUCCESS",
            ["results"] = new JsonArray([.. Enumerable.Range(0, ResultsPerTask).Select(n => (JsonNode)(model.Contains("broken", StringComparison.Ordinal)
                ? $"oss://bucket/results/{key}-{i}-{n}.png"
                : new Uri(Address, $"/img/{key}-{i}-{n}.png").AbsoluteUri))]),
        })]));
    }

    private static JsonObject Envelope(string key, JsonNode[] tasks) => new()
    {
        ["code"] = 0,
        ["data"] = new JsonObject { ["result_key"] = key, ["task_list"] = new JsonArray(tasks) },
        ["message"] = "success",
        ["requestId"] = "req-" + key,
        ["success"] = true,
    };
}
