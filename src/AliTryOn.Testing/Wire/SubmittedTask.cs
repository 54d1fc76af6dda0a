namespace AliTryOn.Testing.Wire;

/// <summary>One task of a submit request, after the emulator has checked it.</summary>
internal sealed record SubmittedTask(
    string ModelImage,
    SubmittedGarment? Upper,
    SubmittedGarment? Lower,
    SubmittedGarment? FullBody,
    int InferenceMode);
