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

    /// <summary>This answer, whose body the transport breaks off halfway.</summary>
    public EmulatorResponse CutOffHalfway()
    {
        var cut = new EmulatorResponse { Status = Status, ContentType = ContentType, Body = Body, ErrorCode = ErrorCode, Failure = ConnectionFailure.BodyCutOff };
        cut.Headers.AddRange(Headers);
        return cut;
    }
}
