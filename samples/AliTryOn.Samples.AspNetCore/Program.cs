// AliTryOn ASP.NET Core sample: a small API that submits virtual try-on jobs, waits for them in the background and
// serves their images.
//
//   POST /tryon                                                  submit 1 to 10 tasks  -> 202 { resultKey, statusUrl }
//   GET  /tryon/{resultKey}                                      status of each task, links to the images
//   GET  /tryon/{resultKey}/tasks/{taskIndex}/results/{n}        one result image (image/png)
//   GET  /openapi/v1.json                                        the API, described
//
// Configuration: the "AliTryOn" section of appsettings.json holds the Endpoint (the API domain shown on the
// Alibaba Cloud Market "purchased services" page) and the polling settings. The AppCode is a secret that bills
// every call: never put it in appsettings.json. Keep it in user secrets
//   dotnet user-secrets --project samples/AliTryOn.Samples.AspNetCore set AliTryOn:AppCode <code>
// or in the environment variable AliTryOn__AppCode.
//
// With no AppCode the app runs against the emulator from AliTryOn.Testing, in this process, so it works out of
// the box; the emulator is also served at /emulator for curl and other tools.
using AliTryOn.Samples.AspNetCore;
using AliTryOn.Samples.AspNetCore.Api;
using AliTryOn.Samples.AspNetCore.Jobs;
using AliTryOn.Samples.AspNetCore.Observability;
using AliTryOn.Testing;
using Microsoft.Extensions.DependencyInjection.Extensions;

var builder = WebApplication.CreateBuilder(args);
var useEmulator = string.IsNullOrWhiteSpace(builder.Configuration["AliTryOn:AppCode"]);

// Traces, metrics and logs of the SDK (all named "AliTryOn") and of the app, through OpenTelemetry to the console.
builder.AddSampleObservability();

// One clock for the SDK's polling, the emulator's jobs and the app. Tests put a fake clock here to fast-forward.
builder.Services.TryAddSingleton(TimeProvider.System);

// Result images are downloaded with a client of their own, with no authentication handler: the AppCode, and any
// X-Ca-* gateway header, must never travel to the storage host that serves the images.
var resultsClient = builder.Services.AddHttpClient(HttpClientNames.Results, http => http.Timeout = TimeSpan.FromSeconds(60));

if (useEmulator)
{
    // Short durations, so that trying the app takes seconds. The emulator runs on the registered TimeProvider.
    builder.Services.AddTryOnEmulator(options =>
    {
        options.QueueTime = TimeSpan.FromSeconds(1);
        options.FastDuration = TimeSpan.FromSeconds(3);
        options.QualityDuration = TimeSpan.FromSeconds(6);
    });

    // The client still binds the "AliTryOn" section (AttemptTimeout, TotalTimeout, Polling:*…); the code then points it at the
    // emulator, in memory. Both HTTP clients use the emulator's handler, which also plays the storage host.
    builder.Services
        .AddTryOnClient(options =>
        {
            options.Endpoint = TryOnEmulator.DefaultBaseAddress;
            options.AppCode = TryOnEmulator.DefaultAppCode;
        })
        .ConfigurePrimaryHttpMessageHandler(services => services.GetRequiredService<TryOnEmulator>().CreateHandler());
    resultsClient.ConfigurePrimaryHttpMessageHandler(services => services.GetRequiredService<TryOnEmulator>().CreateHandler());
}
else
{
    // Binds the "AliTryOn" section. A missing or malformed setting stops the start with a message naming the key.
    builder.Services.AddTryOnClient();
}

// Several instances of this app (behind a load balancer) share the AppCode's throttling. With a Redis connection string
// ("ConnectionStrings:Redis"), they keep AliTryOn:RateLimit:RequestsPerSecond together, as their total.
if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
{
    builder.Services.AddTryOnRedisRateLimit(redis);
}

// Submitted jobs go through a queue to a background service that waits for them and keeps the outcome.
builder.Services.AddSingleton<TryOnJobQueue>();
builder.Services.AddSingleton<TryOnJobStore>();
builder.Services.AddHostedService<TryOnJobWaiter>();

// A job this app does not follow is looked up at the service, under the AppCode's throttling that every shopper
// shares: each client address gets a share ("Sample:ServiceLookupsPerMinute"), so one caller cannot spend it all.
builder.Services.AddSingleton<ServiceLookupLimiter>();

builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, SampleJsonContext.Default));

// Every error is answered as application/problem+json; TryOnExceptionHandler maps the service's failures, and the
// answers the framework gives without a body (415 for a body that is not JSON, 413 for one over the size limit,
// which the server refuses while reading it, 404, 405) get one that says what to do.
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
    context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
    {
        StatusCodes.Status415UnsupportedMediaType => "Send the try-on request as JSON, with Content-Type: application/json.",
        StatusCodes.Status413PayloadTooLarge => $"A try-on request is at most {TryOnEndpoints.MaxRequestBytes / 1024} KiB: a few image URLs per task.",
        StatusCodes.Status404NotFound => "No such resource: see the API in the OpenAPI document (/openapi/v1.json).",
        StatusCodes.Status405MethodNotAllowed => "This resource does not take that method: see the OpenAPI document (/openapi/v1.json).",
        _ => null,
    });
builder.Services.AddOpenApi();
builder.Services.AddExceptionHandler<TryOnExceptionHandler>();

// A malformed JSON body then throws too (in every environment), so it gets the same ProblemDetails answer.
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapTryOnEndpoints();
app.MapOpenApi();

if (useEmulator)
{
    app.MapTryOnEmulator("/emulator");
    app.Logger.LogInformation("Try-on mode: EMULATOR. No AliTryOn:AppCode is configured, so jobs run on the built-in emulator (also served at /emulator); nothing is billed.");
}
else
{
    app.Logger.LogInformation("Try-on mode: LIVE. Jobs are sent to the try-on service at {Endpoint} and billed to the configured AppCode.", builder.Configuration["AliTryOn:Endpoint"]);
}

app.Run();

/// <summary>The entry point, visible to WebApplicationFactory.</summary>
public partial class Program;
