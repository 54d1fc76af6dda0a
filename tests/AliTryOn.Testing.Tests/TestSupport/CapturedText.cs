namespace AliTryOn.Testing.Tests.TestSupport;

/// <summary>One piece of text a test captured: a log entry, an activity, an exception or a rendered object.</summary>
/// <param name="Kind">What it is: <c>log</c>, <c>activity</c>, <c>exception</c> or <c>object</c>.</param>
/// <param name="Origin">Where it came from: a log category, an activity source, a scenario.</param>
/// <param name="Text">Everything captured about it, flattened to text.</param>
/// <param name="TraceId">The activity's trace, for activities; <see langword="null"/> otherwise.</param>
public sealed record CapturedText(string Kind, string Origin, string Text, string? TraceId = null);
