using System.Text.Json.Serialization;

namespace AliTryOn.Serialization;

/// <summary>
/// The <c>data</c> object of a response: the result key and the task list.
/// </summary>
internal sealed class WireJob
{
    [JsonPropertyName("result_key")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ResultKey { get; set; }

    [JsonPropertyName("task_list")]
    public WireTask?[]? TaskList { get; set; }
}
