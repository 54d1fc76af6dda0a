using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AliTryOn.Benchmarks.Bulk;

/// <summary>
/// The emulator server (src/AliTryOn.Testing.Server, built with this project) in a process of its own on 127.0.0.1 and
/// a free port, so that the client's CPU and memory are the client's alone. It counts the requests it served from
/// ASP.NET Core's "Request finished" log lines.
/// </summary>
internal sealed partial class EmulatorServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _errors = [];
    private volatile bool _counting;

    private EmulatorServerProcess(Process process) => _process = process;

    /// <summary>Requests served while counting was on.</summary>
    public RequestCounts Counts { get; private set; } = new();

    public Uri Address => _address.Task.Result;

    /// <summary>The server's CPU time so far.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public long PeakWorkingSet
    {
        get
        {
            _process.Refresh();
            return _process.PeakWorkingSet64;
        }
    }

    /// <exception cref="InvalidOperationException">The server was not built, or did not start within 30 s.</exception>
    public static async Task<EmulatorServerProcess> StartAsync(BulkSettings settings)
    {
        var dll = ServerDll();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])
            [
                dll,
                "--urls", "http://127.0.0.1:0",
                "--Emulator:QueueTime", settings.QueueTime.ToString("c", CultureInfo.InvariantCulture),
                // Fast mode: every task of the run is a fast one; the run time is the whole processing time.
                "--Emulator:FastDuration", settings.RunTime.ToString("c", CultureInfo.InvariantCulture),
                // Image URLs are taken as they are (the run's inputs are not real images): the service's fetching is
                // part of the job's duration.
                "--Emulator:FetchImages", "false",
                "--Logging:LogLevel:Default", "Warning",
                "--Logging:LogLevel:AliTryOn.Testing.Server", "Information",
                "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Information",
            ])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = Process.Start(start) ?? throw new InvalidOperationException("The emulator server did not start.");
        var server = new EmulatorServerProcess(process);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = await Task.WhenAny(server._address.Task, Task.Delay(TimeSpan.FromSeconds(30))).ConfigureAwait(false);
        if (started != server._address.Task)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException("The emulator server did not announce its address within 30 s: " + string.Join(Environment.NewLine, server._errors));
        }

        return server;
    }

    /// <summary>Counts requests from now on, from zero.</summary>
    public void StartCounting()
    {
        Counts = new RequestCounts();
        _counting = true;
    }

    /// <summary>Waits until the server has logged at least as many requests as the client counted (the log is asynchronous).</summary>
    public async Task<RequestCounts> StopCountingAsync(int expected)
    {
        for (var i = 0; i < 50 && Counts.GatewayRequests + Counts.Downloads < expected; i++)
        {
            await Task.Delay(100).ConfigureAwait(false);
        }

        _counting = false;
        return Counts;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (!_address.Task.IsCompleted && Listening().Match(line) is { Success: true } listening)
        {
            _address.TrySetResult(new Uri(listening.Groups["address"].Value));
        }
        else if (_counting && Finished().Match(line) is { Success: true } finished)
        {
            Counts.Add(finished.Groups["path"].Value, int.Parse(finished.Groups["status"].Value, CultureInfo.InvariantCulture));
        }
        else if (!_address.Task.IsCompleted)
        {
            lock (_errors)
            {
                _errors.Add(line);
            }
        }
    }

    /// <summary>The server's dll, built beside this project in the same configuration.</summary>
    private static string ServerDll()
    {
        // bin/<Configuration>/<tfm>/ of this project; the server's output has the same shape.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var framework = output.Name;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "AliTryOn.sln")))
        {
            root = root.Parent;
        }

        var dll = Path.Combine(root?.FullName ?? ".", "src", "AliTryOn.Testing.Server", "bin", configuration, framework, "AliTryOn.Testing.Server.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"The emulator server is not built at {dll}: build tests/AliTryOn.Benchmarks (it builds the server).");
    }

    [GeneratedRegex(@"listening on (?<address>http://[^\s]+?)\.\s")]
    private static partial Regex Listening();

    [GeneratedRegex(@"Request finished \S+ [A-Z]+ \w+://[^/\s]+(?<path>/[^?\s]*)\S* - (?<status>\d{3})")]
    private static partial Regex Finished();
}
