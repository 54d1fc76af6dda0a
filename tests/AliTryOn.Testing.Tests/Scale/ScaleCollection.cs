namespace AliTryOn.Testing.Tests.Scale;

/// <summary>Tests that measure the process (memory, wall time): xUnit runs them alone, so other tests do not add to it.</summary>
[CollectionDefinition(nameof(ScaleCollection), DisableParallelization = true)]
public sealed class ScaleCollection;
