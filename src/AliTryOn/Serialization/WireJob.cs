using System.Text.Json.Serialization;

namespace AliTryOn.Serialization;

/// <summary>
/// The <c>data</c> object: the task list of a submit request, the result key of a query request, and both in responses.
/// </summary>
internal sealed class WireJob
{
    [JsonPropertyName("result_key")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ResultKey { get; set; }

    [JsonPropertyName("task_list")]
    public WireTask?[]? TaskList { get; set; }
}
