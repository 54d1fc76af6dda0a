namespace AliTryOn.Testing.Wire;

/// <summary>A garment of a submitted task: its <c>type</c> (0 flat-lay, 1 worn by a model) and URL.</summary>
internal sealed record SubmittedGarment(int Type, string Url);
