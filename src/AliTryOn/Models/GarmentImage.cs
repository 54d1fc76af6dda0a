using System;
using System.Text.Json.Serialization;

namespace AliTryOn;

/// <summary>A garment photo and how it is photographed.</summary>
/// <param name="Image">
/// The garment photo: an absolute <c>http</c> or <c>https</c> URL the service can reach (a <see cref="Uri"/> converts
/// implicitly), or a local file, stream or bytes the client publishes through its image host (<see cref="TryOnImage"/>).
/// </param>
/// <param name="Kind">How the garment is photographed: <see cref="GarmentKind.FlatLay"/> or <see cref="GarmentKind.WornByModel"/>.</param>
/// <remarks>
/// In JSON: <c>{"image":"https://…/top.jpg","kind":"FlatLay"}</c>; both are required (the service needs the kind of every
/// garment), and any other field is a <see cref="System.Text.Json.JsonException"/> naming it rather than dropped.
/// </remarks>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record GarmentImage([property: JsonRequired] TryOnImage Image, [property: JsonRequired] GarmentKind Kind);
