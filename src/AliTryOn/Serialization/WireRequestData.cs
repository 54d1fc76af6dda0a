using System.Text.Json.Serialization;

namespace AliTryOn.Serialization;

/// <summary>The <c>data</c> object of a request: the task list of a submit, or the result key of a query.</summary>
internal sealed class WireRequestData
{
    [JsonPropertyName("result_key")]
    public string? ResultKey { get; set; }

    [JsonPropertyName("task_list")]
    public WireTaskInput[]? TaskList { get; set; }
}
