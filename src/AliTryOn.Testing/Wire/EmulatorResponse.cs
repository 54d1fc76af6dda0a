using System.Collections.Generic;

namespace AliTryOn.Testing.Wire;

/// <summary>An answer of the emulator core, for a transport to send.</summary>
internal sealed class EmulatorResponse
{
    public int Status { get; init; }

    public List<KeyValuePair<string, string>> Headers { get; } = [];

    public string? ContentType { get; init; }

    public byte[] Body { get; init; } = [];

    /// <summary>The transport should fail the connection instead of answering.</summary>
    public ConnectionFailure Failure { get; init; }

    /// <summary>For the record: the service code or gateway message of an error.</summary>
    public string? ErrorCode { get; init; }

    public static EmulatorResponse Dropped(ConnectionFailure failure) => new() { Failure = failure };
}
