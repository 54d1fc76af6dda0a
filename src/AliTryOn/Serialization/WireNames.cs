namespace AliTryOn.Serialization;

/// <summary>JSON field names whose spelling the vendor's document leaves open; switch them here only.</summary>
internal static class WireNames
{
    /// <summary>The inference-mode name the client writes: the spelling both of the document's examples use.</summary>
    public const string InferenceMode = "inferenceMode";

    /// <summary>The spelling in the document's field table; read, never written.</summary>
    public const string InferenceModeAlternate = "inference_mode";
}
