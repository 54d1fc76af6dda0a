namespace AliTryOn.Cli.Output;

/// <summary>
/// Progress of a wait on stderr. On a terminal: one line, redrawn at every poll and every second with the elapsed
/// time. Redirected: a plain line per change of the tasks' statuses, with the elapsed time.
/// </summary>
internal sealed class WaitProgress : IProgress<TryOnJob>, IDisposable
{
    private readonly CliOutput _output;
    private readonly long _started;
    private readonly ITimer? _ticker;
    private readonly Lock _lock = new();
    private string? _statuses;
    private int _drawnLength;

    public WaitProgress(CliOutput output)
    {
        _output = output;
        _started = output.TimeProvider.GetTimestamp();
        if (!output.IsErrorRedirected)
        {
            _ticker = output.TimeProvider.CreateTimer(_ => Redraw(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }
    }

    private string Elapsed => JobText.Elapsed(_output.TimeProvider.GetElapsedTime(_started));

    public void Report(TryOnJob value)
    {
        var statuses = JobText.Statuses(value);
        lock (_lock)
        {
            var changed = statuses != _statuses;
            _statuses = statuses;
            if (_ticker is not null)
            {
                Redraw();
            }
            else if (changed)
            {
                _output.Error.WriteLine($"[{Elapsed}] {statuses}");
            }
        }
    }

    private void Redraw()
    {
        lock (_lock)
        {
            if (_statuses is null)
            {
                return;
            }

            var line = $"[{Elapsed}] {_statuses}";
            _output.Error.Write("\r" + line.PadRight(_drawnLength));
            _drawnLength = line.Length;
        }
    }

    public void Dispose()
    {
        _ticker?.Dispose();
        lock (_lock)
        {
            if (_ticker is not null && _drawnLength > 0)
            {
                _output.Error.WriteLine();
                _drawnLength = 0;
            }
        }
    }
}
