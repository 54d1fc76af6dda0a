using System;
using System.Collections.Generic;

namespace AliTryOn.Testing.Wire;

/// <summary>A request as the emulator core sees it, whichever transport brought it.</summary>
internal sealed class EmulatorRequest
{
    public required string Method { get; init; }

    /// <summary>The path relative to where the emulator is mapped, starting with <c>/</c>.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// The path exactly as the client sent it (below any mapping prefix too, still escaped), which the gateway signs;
    /// <see langword="null"/> to sign <see cref="Path"/>.
    /// </summary>
    public string? RawPath { get; init; }

    /// <summary>The query string, with its leading <c>?</c>, or empty.</summary>
    public string QueryString { get; init; } = string.Empty;

    /// <summary>Request and content headers, case-insensitive.</summary>
    public required IReadOnlyDictionary<string, string[]> Headers { get; init; }

    public byte[] Body { get; init; } = [];

    /// <summary>Where result URLs of this request's answers point (ends with <c>/</c>).</summary>
    public required Uri ResultsBase { get; init; }

    public string? Header(string name) =>
        Headers.TryGetValue(name, out var values) && values.Length > 0 ? string.Join(",", values) : null;
}
