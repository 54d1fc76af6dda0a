namespace AliTryOn.Tests.TestSupport;

/// <summary>Tests that assert a real-time bound: xUnit runs them alone, after the parallel ones, on a quiet machine.</summary>
[CollectionDefinition(nameof(WallClockCollection), DisableParallelization = true)]
public sealed class WallClockCollection;
