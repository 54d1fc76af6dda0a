using System;
using System.Text.Json.Serialization;

namespace AliTryOn;

/// <summary>
/// One try-on task: dress the person in <paramref name="ModelImage"/> in one or more garments.
/// A job carries 1 to 10 tasks.
/// </summary>
/// <remarks>
/// At least one of <paramref name="Upper"/>, <paramref name="Lower"/> and <paramref name="FullBody"/> must be set.
/// The client checks every task before it sends anything, so a task the service would reject costs no credit;
/// see <see cref="TryOnClient.SubmitAsync(System.Collections.Generic.IEnumerable{TryOnTask}, System.Threading.CancellationToken)"/>.
/// Input images should be 400 to 4096 pixels on each side (4:3 recommended) and show one person standing upright,
/// facing the camera, filling at least two thirds of the frame.
/// </remarks>
/// <param name="ModelImage">
/// The photo of the person (the "model image"): a URL (a <see cref="Uri"/> converts implicitly), or a local file, stream or
/// bytes the client publishes through its image host (<see cref="TryOnImage"/>).
/// </param>
/// <param name="Upper">An upper-body garment (a top), or <see langword="null"/>.</param>
/// <param name="Lower">A lower-body garment (a bottom), or <see langword="null"/>.</param>
/// <param name="FullBody">A full-body garment (a dress or a one-piece outfit shown in one image), or <see langword="null"/>.</param>
/// <param name="InferenceMode">Speed or quality; defaults to <see cref="AliTryOn.InferenceMode.Fast"/>, the service's own default.</param>
/// <remarks>
/// In JSON (System.Text.Json, source-generated contexts included):
/// <c>{"modelImage":"https://…/me.jpg","upper":{"image":"https://…/top.jpg","kind":"FlatLay"},"inferenceMode":"Quality"}</c>.
/// Images are URLs in JSON (local images have no JSON form). <c>modelImage</c> is required (its absence is a <see cref="System.Text.Json.JsonException"/> naming it, a 400 in
/// ASP.NET Core); <c>upper</c>, <c>lower</c>, <c>fullBody</c> and <c>inferenceMode</c> are optional; enums are their names
/// (any case). Any other field (<c>full_body</c> from a snake_case front end) is a <see cref="System.Text.Json.JsonException"/>
/// naming it: dropped, it would leave a valid task without the garment it named, sent and billed.
/// </remarks>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TryOnTask(
    [property: JsonRequired] TryOnImage ModelImage,
    GarmentImage? Upper = null,
    GarmentImage? Lower = null,
    GarmentImage? FullBody = null,
    InferenceMode InferenceMode = InferenceMode.Fast);
