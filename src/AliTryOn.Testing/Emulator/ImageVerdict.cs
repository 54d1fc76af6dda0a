namespace AliTryOn.Testing;

/// <summary>What an image URL does when the emulator "downloads" it.</summary>
internal enum ImageVerdict
{
    Fine,
    Unreachable,
    ContentRejected,
    Invalid,
    GenerationFailure,
}
