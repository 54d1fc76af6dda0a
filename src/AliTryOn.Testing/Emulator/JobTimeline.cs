using System;

namespace AliTryOn.Testing;

/// <summary>How long tasks wait and run, copied from the options when the emulator is created.</summary>
internal sealed record JobTimeline(TimeSpan QueueTime, TimeSpan FastDuration, TimeSpan QualityDuration);
