namespace AliTryOn.Http;

/// <summary>The top-level fields of a response body that say how the call went, as <see cref="ResponseInspector.ReadFields"/> read them.</summary>
internal struct ResponseFields
{
    /// <summary>The <c>code</c>: a number or a string, as text.</summary>
    public string? Code;

    /// <summary>The <c>success</c> flag, when the body has a readable one.</summary>
    public bool? Success;

    /// <summary>The <c>message</c>.</summary>
    public string? Message;

    /// <summary>The <c>requestId</c>.</summary>
    public string? RequestId;
}
