namespace AliTryOn.Testing;

/// <summary>What a request to the emulator asked for; faults are scripted per operation.</summary>
public enum TryOnEmulatorOperation
{
    /// <summary>A request to a path or with a method the service does not offer.</summary>
    Unknown = 0,

    /// <summary><c>POST /api/v2/tryon/submit</c>.</summary>
    Submit = 1,

    /// <summary><c>POST /api/v2/tryon/query</c>.</summary>
    Query = 2,

    /// <summary>A download of a result image from the emulated object storage.</summary>
    DownloadResult = 3,
}
