using System;
using System.Text.Json.Serialization;

namespace AliTryOn;

/// <summary>A garment photo given to the service by URL.</summary>
/// <param name="Url">
/// Absolute <c>http</c> or <c>https</c> URL of the garment photo. The service downloads it, so it must be
/// publicly reachable.
/// </param>
/// <param name="Kind">How the garment is photographed: <see cref="GarmentKind.FlatLay"/> or <see cref="GarmentKind.WornByModel"/>.</param>
/// <remarks>In JSON: <c>{"url":"https://…/top.jpg","kind":"FlatLay"}</c>; both are required (the service needs the kind of every garment).</remarks>
public sealed record GarmentImage([property: JsonRequired] Uri Url, [property: JsonRequired] GarmentKind Kind);
