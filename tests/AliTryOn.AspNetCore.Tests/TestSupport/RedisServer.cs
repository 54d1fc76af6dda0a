using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace AliTryOn.AspNetCore.Tests.TestSupport;

/// <summary>
/// A real Redis server for the tests: Debian's <c>redis-server</c>, on 127.0.0.1 on a free port, with nothing saved to
/// disk and a password of its own. It stops when disposed, and by itself if the test process dies (a shell holds it and
/// ends it when its standard input closes).
/// </summary>
/// <remarks>
/// <c>.ci/run</c> installs the Debian package; a run of <c>dotnet test</c> on a machine without it installs it the same
/// way when it may (as root, with <c>apt-get</c>), and otherwise fails saying what to install.
/// </remarks>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _shell;
    private readonly StringBuilder _output;

    private RedisServer(Process shell, StringBuilder output, int port, string password)
    {
        _shell = shell;
        _output = output;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    /// <summary>The server's password (<c>requirepass</c>): found nowhere else in the process's text, for the leak tests.</summary>
    public string Password { get; }

    /// <summary>The StackExchange.Redis configuration string an app would be given: address and password.</summary>
    public string Configuration => $"127.0.0.1:{Port},password={Password},abortConnect=false,connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000";

    /// <summary>Starts a server and waits until it answers.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        var executable = await DebianPackages.EnsureAsync("redis-server", "the tests of several app instances sharing a Redis cache run a real one", "redis-server");
        var port = FreePort();
        var password = "SENTINELREDISPASS" + Guid.NewGuid().ToString("N")[..12];
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // The shell ends the server when its standard input closes: at disposal, or when the test process dies.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("\"$0\" --port \"$1\" --bind 127.0.0.1 --requirepass \"$2\" --save '' --appendonly no --protected-mode yes & server=$!; read _; kill $server; wait $server");
        start.ArgumentList.Add(executable);
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(password);
        var output = new StringBuilder();
        var shell = Process.Start(start) ?? throw new InvalidOperationException("/bin/sh did not start.");
        shell.OutputDataReceived += (_, line) => Append(output, line.Data);
        shell.ErrorDataReceived += (_, line) => Append(output, line.Data);
        shell.BeginOutputReadLine();
        shell.BeginErrorReadLine();
        var server = new RedisServer(shell, output, port, password);
        try
        {
            await server.WaitUntilReadyAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends one command in Redis's protocol, authenticated, and returns the first line of the answer.</summary>
    public async Task<string> CommandAsync(params string[] arguments)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, Port);
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await SendAsync(stream, ["AUTH", Password]);
        var auth = await reader.ReadLineAsync();
        if (auth != "+OK")
        {
            throw new InvalidOperationException($"AUTH answered {auth}");
        }

        await SendAsync(stream, arguments);
        return await reader.ReadLineAsync() ?? string.Empty;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _shell.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _shell.WaitForExitAsync(grace.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or InvalidOperationException or IOException)
        {
            _shell.Kill(entireProcessTree: true);
        }

        _shell.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                if (await CommandAsync("PING") == "+PONG")
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is SocketException or IOException or InvalidOperationException)
            {
                // Not listening yet.
            }

            if (_shell.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"redis-server did not answer on port {Port} within {StartTimeout.TotalSeconds} s: {Output()}");
            }

            await Task.Delay(50);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static Task SendAsync(NetworkStream stream, string[] arguments)
    {
        var command = new StringBuilder().Append('*').Append(arguments.Length).Append("\r\n");
        foreach (var argument in arguments)
        {
            command.Append('$').Append(Encoding.UTF8.GetByteCount(argument)).Append("\r\n").Append(argument).Append("\r\n");
        }

        return stream.WriteAsync(Encoding.UTF8.GetBytes(command.ToString())).AsTask();
    }

    /// <summary>A TCP port of 127.0.0.1 that nothing listens on (at the time of asking).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
