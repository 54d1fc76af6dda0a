using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;

namespace AliTryOn.Samples.Tests.AspNetCore;

/// <summary>A result image is passed on with the storage host's content type, and what is not an image is not passed on.</summary>
public sealed class ResultContentTypeTests() : SampleAppTest(configureServices: Configure)
{
    [Theory]
    [InlineData("image/jpeg")]
    [InlineData("image/webp")]
    public async Task A_result_keeps_the_content_type_the_storage_host_gave(string mediaType)
    {
        var done = await WaitUntilCompletedAsync(await SubmitAsync());
        Factory.Services.GetRequiredService<StorageContentType>().MediaType = mediaType;

        using var response = await Client.GetAsync(ResultLinks(done)[0]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(PngSignature, (await response.Content.ReadAsByteArrayAsync())[..8]); // the bytes as stored
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("image/svg+xml")] // could run script on the app's origin
    public async Task A_storage_answer_that_is_not_a_raster_image_is_a_bad_gateway_problem_naming_its_content_type(string mediaType)
    {
        var done = await WaitUntilCompletedAsync(await SubmitAsync());
        Factory.Services.GetRequiredService<StorageContentType>().MediaType = mediaType;

        using var response = await Client.GetAsync(ResultLinks(done)[0]);

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadGateway);
        Assert.Equal($"The storage host answered with content type '{mediaType}', not a raster image (image/avif, image/bmp, image/gif, image/jpeg, image/png, image/webp).", problem.GetProperty("detail").GetString());
    }

    private static void Configure(IServiceCollection services)
    {
        services.AddSingleton<StorageContentType>();
        services.AddHttpClient("results").AddHttpMessageHandler(provider => new ContentTypeRewriter(provider.GetRequiredService<StorageContentType>()));
    }

    /// <summary>The content type the storage host answers with, set by the test; <see langword="null"/> leaves the emulator's.</summary>
    private sealed class StorageContentType
    {
        public string? MediaType { get; set; }
    }

    /// <summary>Plays a storage host that serves its images with another content type.</summary>
    private sealed class ContentTypeRewriter(StorageContentType storage) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (storage.MediaType is { } mediaType && response.IsSuccessStatusCode)
            {
                response.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            }

            return response;
        }
    }
}
