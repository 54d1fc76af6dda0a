using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AliTryOn.Tests.TestSupport;

/// <summary>
/// Records the measurements of the <c>AliTryOn</c> meter created by one <see cref="IMeterFactory"/> (one service
/// provider), so tests running in parallel do not mix.
/// </summary>
internal sealed class MeasurementCapture : IDisposable
{
    private readonly ConcurrentQueue<Measurement> _measurements = new();
    private readonly MeterListener _listener;

    public MeasurementCapture(IMeterFactory meterFactory)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "AliTryOn" && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The measurements of the instrument named <paramref name="instrument"/>.</summary>
    public IReadOnlyList<Measurement> Of(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument)];

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, tagValue) in tags)
        {
            copy[key] = tagValue;
        }

        _measurements.Enqueue(new Measurement(instrument.Name, instrument.Unit, value, copy));
    }

    /// <summary>One recorded value with its tags.</summary>
    internal sealed record Measurement(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags)
    {
        public object? this[string tag] => Tags.TryGetValue(tag, out var value) ? value : null;
    }
}
