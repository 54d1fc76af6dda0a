using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AliTryOn.AspNetCore.Tests.TestSupport;

/// <summary>The README's upload endpoint ("Local images and uploads"), as written there, for the tests that post to it.</summary>
public static class UploadEndpoint
{
    public const string Path = "/try-on/upload";

    /// <summary>Maps <c>POST /try-on/upload</c>: a form's <c>photo</c> submitted as the model image, a refused photo answered 400 with why.</summary>
    public static RouteHandlerBuilder MapReadmeUpload(this IEndpointRouteBuilder app) =>
        app.MapPost(Path, async Task<IResult> (IFormFile photo, TryOnClient client) =>
        {
            await using var stream = photo.OpenReadStream();
            try
            {
                var job = await client.SubmitAsync(new TryOnTask(
                    TryOnImage.FromStream(stream, photo.ContentType, photo.FileName),
                    Upper: new GarmentImage(new Uri("https://cdn.example.com/shirt.jpg"), GarmentKind.FlatLay)));
                return Results.Ok(job.ResultKey);
            }
            catch (TryOnImageCheckException problem)
            {
                return Results.BadRequest(problem.Message);
            }
            catch (TryOnImagePublishException problem)
            {
                return Results.Problem(problem.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).DisableAntiforgery();
}
