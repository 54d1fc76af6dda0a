using System.Text.Json.Serialization;

namespace AliTryOn.Benchmarks.Wire;

/// <summary>The response envelope, read as documented (numeric <c>code</c>, boolean <c>success</c>), no leniency.</summary>
public sealed record RawResponse(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("data")] RawJobData? Data,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("requestId")] string? RequestId,
    [property: JsonPropertyName("severity")] string? Severity,
    [property: JsonPropertyName("success")] bool Success)
{
    /// <summary>What a careful hand-written call checks before trusting the body.</summary>
    public bool IsSuccess => Code == 0 && Success && !string.IsNullOrEmpty(Data?.ResultKey);
}
