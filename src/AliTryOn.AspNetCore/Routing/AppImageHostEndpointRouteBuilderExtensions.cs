using System;
using AliTryOn.AspNetCore;
using AliTryOn.AspNetCore.Configuration;
using AliTryOn.AspNetCore.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Serves the images of an <see cref="AppImageHost"/> from the app.</summary>
public static class AppImageHostEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET</c> and <c>HEAD</c> of <c>{path}/{**key}</c> to the registered <see cref="AppImageHost"/>
    /// (<c>services.AddTryOnAppImageHost()</c>): a signed, unexpired URL answers 200 with the image,
    /// <c>Cache-Control: private, max-age=</c> the seconds left and <c>X-Content-Type-Options: nosniff</c>; a missing,
    /// wrong or expired signature answers 403; a malformed or unknown key answers 404. Refusals have an empty body.
    /// </summary>
    /// <remarks>
    /// The endpoint allows anonymous access (<c>AllowAnonymous</c> is applied): the try-on service downloads without
    /// credentials, and the signature is the authorization. Add conventions to the returned builder as needed, such as
    /// <c>.RequireHost("shop.example.com")</c> or <c>.RequireRateLimiting("images")</c>. Time is the host's
    /// <see cref="TimeProvider"/> (the one registered with dependency injection, or the system clock).
    /// </remarks>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="path">
    /// The route prefix to serve. Default: <see cref="AppImageHostOptions.Path"/>, where the host's URLs point. Set it only
    /// when a proxy rewrites the public path before the request reaches the app.
    /// </param>
    /// <returns>The endpoint's builder, for further conventions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is not a path such as <c>/tryon-images</c>.</exception>
    /// <exception cref="InvalidOperationException">No <see cref="AppImageHost"/> is registered, or no <c>IDistributedCache</c> for it; the message says what to add.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The host's settings are invalid; the message names each configuration key.</exception>
    public static IEndpointConventionBuilder MapTryOnImages(this IEndpointRouteBuilder endpoints, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var host = endpoints.ServiceProvider.GetService<AppImageHost>()
            ?? throw new InvalidOperationException("No AppImageHost is registered: call builder.Services.AddTryOnAppImageHost() before app.MapTryOnImages(), or pass the host to MapTryOnImages.");
        return MapTryOnImages(endpoints, host, path);
    }

    /// <summary>
    /// Maps <c>GET</c> and <c>HEAD</c> of <c>{path}/{**key}</c> to <paramref name="host"/>, for a host created in code; see
    /// <see cref="MapTryOnImages(IEndpointRouteBuilder, string?)"/>. The endpoint allows anonymous access.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="host">The host whose images to serve.</param>
    /// <param name="path">The route prefix to serve. Default: the host's <see cref="AppImageHostOptions.Path"/>.</param>
    /// <returns>The endpoint's builder, for further conventions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="host"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is not a path such as <c>/tryon-images</c>.</exception>
    public static IEndpointConventionBuilder MapTryOnImages(this IEndpointRouteBuilder endpoints, AppImageHost host, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(host);
        if (path is not null && !AppImageHostOptionsValidator.IsValidPath(path))
        {
            throw new ArgumentException($"The path must be one or more segments such as {AppImageHostOptions.DefaultPath} (letters, digits, '-', '_', '.' and '~', each after a '/', no trailing '/'); it is '{path}'.", nameof(path));
        }

        RequestDelegate handler = new AppImageEndpoint(host).HandleAsync;
        return endpoints
            .MapMethods($"{path ?? host.Path}/{{**{AppImageEndpoint.KeyRouteValue}}}", [HttpMethods.Get, HttpMethods.Head], handler)
            .WithDisplayName("AliTryOn app image host")
            .AllowAnonymous();
    }
}
