using System.Text.Json;
using System.Text.Json.Serialization;

namespace AliTryOn.Samples.AspNetCore.Api;

/// <summary>
/// Source-generated JSON for the app's own types: no reflection, so the app stays trimming-friendly.
/// camelCase names, enums as their names (<c>"FlatLay"</c>, <c>"Quality"</c>; numbers are accepted too).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(SubmitTryOnRequest))]
[JsonSerializable(typeof(SubmitTryOnResponse))]
[JsonSerializable(typeof(JobStatusResponse))]
internal sealed partial class SampleJsonContext : JsonSerializerContext;
