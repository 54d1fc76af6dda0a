using System.Globalization;
using System.Net;
using AliTryOn.Samples.AspNetCore.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AliTryOn.Samples.AspNetCore.Api;

/// <summary>The app's API: submit a job, follow it, fetch its images.</summary>
internal static class TryOnEndpoints
{
    /// <summary>The largest <c>POST /tryon</c> body: far above ten tasks of URLs.</summary>
    internal const int MaxRequestBytes = 64 * 1024;

    /// <summary>The title of every 400 answer that names a field.</summary>
    internal const string InvalidRequestTitle = "Invalid try-on request";

    public static IEndpointRouteBuilder MapTryOnEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var tryOn = endpoints.MapGroup("/tryon");
        // A try-on request is a few URLs: anything larger is refused before it is read (413).
        tryOn.MapPost("/", SubmitAsync).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxRequestBytes));
        tryOn.MapGet("/{resultKey}", GetStatusAsync);
        tryOn.MapGet("/{resultKey}/tasks/{taskIndex:int}/results/{resultIndex:int}", GetResultAsync);
        return endpoints;
    }

    /// <summary><c>POST /tryon</c>: submits the tasks as one job and hands it to the background waiter.</summary>
    /// <remarks>
    /// Takes no cancellation token on purpose: a submit cancelled after it reached the service may still create
    /// (and bill) a job, whose key would then be lost. Once started, it runs to the end and the job is tracked.
    /// </remarks>
    internal static async Task<Results<Accepted<SubmitTryOnResponse>, ValidationProblem>> SubmitAsync(
        SubmitTryOnRequest request,
        TryOnClient client,
        TryOnJobStore store,
        TryOnJobQueue queue,
        HttpContext httpContext)
    {
        TryOnJob job;
        try
        {
            // The SDK checks every task before sending, so a bad request costs no credit, and names the field.
            job = await client.SubmitAsync(request.ToTasks(), CancellationToken.None);
        }
        catch (TryOnSubmitOutcomeUnknownException unknown) when (unknown.ResultKey is { } created)
        {
            // The answer was cut off or unclear, but named the job: it exists and is billed. Followed like any other, so
            // its caller is told its key and never submits (and pays for) it again.
            queue.Enqueue(created);
            var createdUrl = StatusPath(httpContext, created);
            return TypedResults.Accepted(createdUrl, new SubmitTryOnResponse(created, createdUrl));
        }
        catch (TryOnInvalidTaskException e)
        {
            // The SDK's checks (and this app's own), before anything was sent: the message for a person, the field by
            // its path in this request's JSON. Service failures are TryOnExceptions (see TryOnExceptionHandler).
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [e.Field ?? "tasks"] = [e.Message] },
                detail: e.Message,
                title: InvalidRequestTitle);
        }

        store.Track(job);
        queue.Enqueue(job.ResultKey);

        var statusUrl = StatusPath(httpContext, job.ResultKey);
        return TypedResults.Accepted(statusUrl, new SubmitTryOnResponse(job.ResultKey, statusUrl));
    }

    /// <summary><c>GET /tryon/{resultKey}</c>: the job's status, with links to its images once they exist.</summary>
    internal static async Task<Results<Ok<JobStatusResponse>, ProblemHttpResult>> GetStatusAsync(
        string resultKey,
        TryOnJobStore store,
        TryOnClient client,
        ServiceLookupLimiter lookups,
        HttpContext httpContext,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(resultKey))
        {
            return UnknownJob();
        }

        var tracked = store.Find(resultKey);
        if (tracked is { State: TrackedJobState.Waiting or TrackedJobState.Completed })
        {
            return TypedResults.Ok(ToResponse(httpContext, tracked.Job, note: null));
        }

        // Not waited for here (submitted before a restart, or by another instance), or the wait gave up:
        // the key alone is enough to ask the service, within the caller's share. An unknown key becomes a 404
        // (TryOnJobNotFoundException).
        if (!lookups.TryAcquire(httpContext))
        {
            return TooManyLookups(httpContext);
        }

        var job = await client.QueryAsync(resultKey, cancellationToken);
        if (job.HasCompleted && tracked is not null)
        {
            store.Complete(job);
        }

        return TypedResults.Ok(ToResponse(httpContext, job, job.HasCompleted ? null : tracked?.Note));
    }

    /// <summary>
    /// <c>GET /tryon/{resultKey}/tasks/{taskIndex}/results/{resultIndex}</c>: downloads one result image from the
    /// service's storage and streams it back.
    /// </summary>
    internal static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetResultAsync(
        string resultKey,
        int taskIndex,
        int resultIndex,
        TryOnJobStore store,
        TryOnClient client,
        ServiceLookupLimiter lookups,
        IHttpClientFactory httpClientFactory,
        HttpContext httpContext,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(resultKey))
        {
            return UnknownJob();
        }

        var tracked = store.Find(resultKey);
        var fromStore = tracked is { State: TrackedJobState.Completed };

        // A job this app follows (still waited for, or done) costs the caller no share; any other is a lookup.
        if (tracked is not { State: TrackedJobState.Waiting or TrackedJobState.Completed } && !lookups.TryAcquire(httpContext))
        {
            return TooManyLookups(httpContext);
        }

        var job = fromStore ? tracked!.Job : await client.QueryAsync(resultKey, cancellationToken);
        if (ResultUrl(job, taskIndex, resultIndex) is not { } url)
        {
            return NoSuchResult();
        }

        // The "results" client has no authentication handler: the AppCode stays with the API.
        var http = httpClientFactory.CreateClient(HttpClientNames.Results);
        var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (fromStore && response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            // Storage links expire (about an hour on the emulator). A fresh query signs new ones.
            response.Dispose();
            job = await client.QueryAsync(resultKey, cancellationToken);
            store.Complete(job);
            if (ResultUrl(job, taskIndex, resultIndex) is not { } fresh)
            {
                return NoSuchResult();
            }

            response = await http.GetAsync(fresh, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }

        httpContext.Response.RegisterForDispose(response);
        if (!response.IsSuccessStatusCode)
        {
            return TypedResults.Problem(
                string.Create(CultureInfo.InvariantCulture, $"The storage host answered HTTP {(int)response.StatusCode}."),
                statusCode: StatusCodes.Status502BadGateway,
                title: "The result image could not be downloaded");
        }

        // The storage host's content type, not an assumed one: results may be PNG, JPEG or WebP. Only raster images are
        // passed on: an error page answered with 200 is not one, and an SVG served from the app's own origin could
        // run script there.
        if (response.Content.Headers.ContentType?.MediaType is not { } mediaType || !RasterImageTypes.Contains(mediaType))
        {
            return TypedResults.Problem(
                $"The storage host answered with content type '{response.Content.Headers.ContentType?.MediaType ?? "none"}', not a raster image ({string.Join(", ", RasterImageTypes)}).",
                statusCode: StatusCodes.Status502BadGateway,
                title: "The result image could not be downloaded");
        }

        // Streamed through, not buffered: result images can be several megabytes.
        return TypedResults.Stream(await response.Content.ReadAsStreamAsync(cancellationToken), mediaType);
    }

    /// <summary>The content types a result is passed on with.</summary>
    private static readonly IReadOnlySet<string> RasterImageTypes =
        new SortedSet<string>(["image/png", "image/jpeg", "image/webp", "image/gif", "image/avif", "image/bmp"], StringComparer.OrdinalIgnoreCase);

    private static Uri? ResultUrl(TryOnJob job, int taskIndex, int resultIndex) =>
        job.Tasks.FirstOrDefault(t => t.Index == taskIndex) is { Succeeded: true } task
        && resultIndex >= 0 && resultIndex < task.ResultUrls.Count
            ? task.ResultUrls[resultIndex]
            : null;

    private static JobStatusResponse ToResponse(HttpContext httpContext, TryOnJob job, string? note)
    {
        var status = StatusPath(httpContext, job.ResultKey);
        var tasks = job.Tasks
            .Select(task => new TaskStatusResponse(
                task.Index,
                task.Status.Value,
                task.Succeeded
                    ? [.. Enumerable.Range(0, task.ResultUrls.Count).Select(i => string.Create(CultureInfo.InvariantCulture, $"{status}/tasks/{task.Index}/results/{i}"))]
                    : []))
            .ToArray();
        return new JobStatusResponse(job.ResultKey, job.HasCompleted, tasks, note);
    }

    private static string StatusPath(HttpContext httpContext, string resultKey) =>
        $"{httpContext.Request.PathBase}/tryon/{Uri.EscapeDataString(resultKey)}";

    private static ProblemHttpResult UnknownJob() =>
        TypedResults.Problem("No try-on job has this result key.", statusCode: StatusCodes.Status404NotFound, title: "Unknown try-on job");

    private static ProblemHttpResult TooManyLookups(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = "60";
        return TypedResults.Problem(
            "Too many lookups of jobs this app is not following, from your address: try again in a minute. Jobs submitted here are answered without limit.",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many lookups");
    }

    private static ProblemHttpResult NoSuchResult() =>
        TypedResults.Problem(
            "The job has no such result: the task does not exist, has not succeeded (yet), or has fewer images.",
            statusCode: StatusCodes.Status404NotFound,
            title: "No such result");
}
