using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using AliTryOn.Testing;
using AliTryOn.Testing.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Serves a <see cref="TryOnEmulator"/> over HTTP from an ASP.NET Core application.</summary>
public static class TryOnEmulatorEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the emulator under <paramref name="prefix"/>: the API at <c>{prefix}/api/v2/tryon/submit</c> and
    /// <c>{prefix}/api/v2/tryon/query</c>, result images under <c>{prefix}/oss/</c>, and the gateway's
    /// <c>API Not Found</c> for any other path below the prefix. The emulator comes from dependency injection
    /// (<c>services.AddTryOnEmulator()</c>).
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="prefix">Where to map the emulator, for example <c>/emulator</c>; empty for the root.</param>
    /// <returns>The route group, for further conventions.</returns>
    /// <exception cref="InvalidOperationException">At the first request: no <see cref="TryOnEmulator"/> is registered.</exception>
    public static RouteGroupBuilder MapTryOnEmulator(this IEndpointRouteBuilder endpoints, string prefix = "") =>
        Map(endpoints, prefix, static context => context.RequestServices.GetService<TryOnEmulator>()
            ?? throw new InvalidOperationException("No TryOnEmulator is registered: call services.AddTryOnEmulator(), or pass the emulator to MapTryOnEmulator."));

    /// <summary>Maps <paramref name="emulator"/> under <paramref name="prefix"/>; see <see cref="MapTryOnEmulator(IEndpointRouteBuilder, string)"/>.</summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="emulator">The emulator to serve.</param>
    /// <param name="prefix">Where to map the emulator, for example <c>/emulator</c>; empty for the root.</param>
    /// <returns>The route group, for further conventions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="emulator"/> is <see langword="null"/>.</exception>
    public static RouteGroupBuilder MapTryOnEmulator(this IEndpointRouteBuilder endpoints, TryOnEmulator emulator, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(emulator);
        return Map(endpoints, prefix, _ => emulator);
    }

    private static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, string prefix, Func<HttpContext, TryOnEmulator> emulator)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(prefix ?? string.Empty);
        group.Map("/{**path}", context => ServeAsync(context, emulator(context), prefix ?? string.Empty));
        return group;
    }

    private static async Task ServeAsync(HttpContext context, TryOnEmulator emulator, string prefix)
    {
        var request = context.Request;
        var headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = header.Value.ToArray()!;
        }

        var body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
        var relative = "/" + ((context.Request.RouteValues["path"] as string) ?? string.Empty);
        var results = emulator.ResultsBaseAddress
            ?? new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{prefix.TrimEnd('/')}{TryOnEmulator.StoragePrefix}");

        EmulatorResponse answer;
        try
        {
            answer = await emulator.HandleAsync(
                new EmulatorRequest
                {
                    Method = request.Method,
                    Path = relative,
                    RawPath = RawPathOf(context),
                    QueryString = request.QueryString.Value ?? string.Empty,
                    Headers = headers,
                    Body = body,
                    ResultsBase = results,
                },
                context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away
        }

        if (answer.Failure is ConnectionFailure.Refused or ConnectionFailure.ResponseCutOff)
        {
            context.Abort();
            return;
        }

        var response = context.Response;
        response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            response.Headers.Append(name, value);
        }

        if (answer.ContentType is not null)
        {
            response.ContentType = answer.ContentType;
        }

        response.ContentLength = answer.Body.Length;
        if (answer.Failure == ConnectionFailure.BodyCutOff)
        {
            // Half the body Content-Length promises, then the end: the server closes the connection (an abort would
            // reset it, and the client could lose the half that was sent), and the client sees the body end early.
            await response.Body.WriteAsync(answer.Body.AsMemory(0, answer.Body.Length / 2), context.RequestAborted).ConfigureAwait(false);
            await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (answer.Body.Length > 0)
        {
            await response.Body.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>The path of the request line as the client sent it (prefix included, not decoded), which the gateway signs.</summary>
    private static string RawPathOf(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (target is { Length: > 0 } && target[0] == '/')
        {
            var query = target.IndexOf('?', StringComparison.Ordinal);
            return query < 0 ? target : target[..query];
        }

        return (context.Request.PathBase + context.Request.Path).ToUriComponent();
    }

    /// <summary>Reads at most one byte more than the emulator accepts, so an oversized body is answered, not buffered.</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, System.Threading.CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length <= TryOnEmulator.MaxBodyBytes
            && (read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
