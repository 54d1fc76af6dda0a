namespace AliTryOn.Testing.Wire;

/// <summary>How a transport fails a connection for a dropped-connection fault.</summary>
internal enum ConnectionFailure
{
    None,

    /// <summary>No connection was made: nothing reached the service.</summary>
    Refused,

    /// <summary>The request was sent and the response cut off.</summary>
    ResponseCutOff,

    /// <summary>The status and headers arrived; the body breaks off halfway.</summary>
    BodyCutOff,
}
