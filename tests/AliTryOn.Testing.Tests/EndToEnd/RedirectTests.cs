using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AliTryOn.Testing.Tests.EndToEnd;

/// <summary>Over real sockets, with the client's own transport: a redirect is an error, and the AppCode never follows it.</summary>
public sealed class RedirectTests
{
    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task A_redirect_is_a_typed_error_and_nothing_reaches_the_other_host(int status)
    {
        var elsewhere = new ConcurrentQueue<string>();
        await using var target = await StartAsync(context =>
        {
            elsewhere.Enqueue($"{context.Request.Method} {context.Request.Path} {context.Request.Headers.Authorization}");
            return Task.CompletedTask;
        });
        await using var redirecting = await StartAsync(context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.Location = new Uri(Address(target), context.Request.Path.Value).AbsoluteUri;
            return Task.CompletedTask;
        });
        var client = new TryOnClient(new TryOnClientOptions { Endpoint = Address(redirecting), AppCode = "redirect-appcode" });

        var error = await Assert.ThrowsAsync<TryOnRedirectException>(() => client.QueryAsync("rk"));

        Assert.Equal(status, error.Status);
        Assert.Equal(Address(target).Port, error.Location!.Port);
        Assert.False(error.IsRetryable);
        Assert.Empty(elsewhere);
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

    private static async Task<WebApplication> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        return app;
    }
}
