using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AliTryOn.Tests.TestSupport;

/// <summary>
/// A stand-in for the service over real sockets: a minimal HTTP/1.1 server on 127.0.0.1 (a port the system picks) that
/// answers each request from the test's script, keeps connections alive, and counts the connections clients open. It
/// writes bytes itself, so it can do what a server framework will not: declare a body, send part of it, and hang up.
/// </summary>
internal sealed class LoopbackService : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<int, string, LoopbackAnswer> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _requests;
    private int _connectionsOpened;
    private int _connectionsOpen;

    /// <param name="answer">The answer to request n (from 0), given its path.</param>
    public LoopbackService(Func<int, string, LoopbackAnswer> answer)
    {
        _answer = answer;
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri Address { get; }

    /// <summary>How many requests arrived.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>How many TCP connections clients opened in all.</summary>
    public int ConnectionsOpened => Volatile.Read(ref _connectionsOpened);

    /// <summary>How many TCP connections are open now.</summary>
    public int ConnectionsOpen => Volatile.Read(ref _connectionsOpen);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        Interlocked.Increment(ref _connectionsOpened);
        Interlocked.Increment(ref _connectionsOpen);
        try
        {
            using var stream = new NetworkStream(socket, ownsSocket: true);
            var buffer = new List<byte>();
            var chunk = new byte[8192];
            while (!_stop.IsCancellationRequested)
            {
                // The head, up to its blank line, then as many body bytes as it declares.
                int headEnd;
                while ((headEnd = IndexOfBlankLine(buffer)) < 0)
                {
                    var read = await stream.ReadAsync(chunk, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    buffer.AddRange(chunk.AsSpan(0, read));
                }

                var request = Encoding.ASCII.GetString(buffer.GetRange(0, headEnd).ToArray());
                var length = request.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(p => int.Parse(p[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
                while (buffer.Count < headEnd + 4 + length)
                {
                    var read = await stream.ReadAsync(chunk, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    buffer.AddRange(chunk.AsSpan(0, read));
                }

                buffer.RemoveRange(0, headEnd + 4 + length);
                var path = request.Split(' ')[1];
                var answer = _answer(Interlocked.Increment(ref _requests) - 1, path);
                // Extra header lines go out as UTF-8 bytes, as a server that does not restrict itself to ASCII writes them.
                var head = Encoding.UTF8.GetBytes(
                    $"HTTP/1.1 {answer.Status} X\r\nContent-Type: {answer.ContentType}\r\nContent-Length: {answer.Body.Length}\r\n{string.Concat(answer.Headers.Select(h => $"{h}\r\n"))}\r\n");
                // One write of head and body (or of the part of it sent): two small writes would meet delayed ACKs.
                var sent = answer.CutAfter ?? answer.Body.Length;
                var response = new byte[head.Length + sent];
                head.CopyTo(response, 0);
                Array.Copy(answer.Body, 0, response, head.Length, sent);
                await stream.WriteAsync(response, _stop.Token);
                if (answer.CutAfter is not null)
                {
                    // Part of the declared body went out; now the connection is gone.
                    socket.Shutdown(SocketShutdown.Both);
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException)
        {
            // The client went away, or the server is stopping.
        }
        finally
        {
            Interlocked.Decrement(ref _connectionsOpen);
        }
    }

    private static int IndexOfBlankLine(List<byte> buffer)
    {
        for (var i = 0; i + 3 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>One answer of a <see cref="LoopbackService"/>: a status, a body, and optionally where the connection breaks.</summary>
internal sealed record LoopbackAnswer(int Status, byte[] Body, string ContentType = "application/json", int? CutAfter = null)
{
    /// <summary>Header lines (<c>Name: value</c>) sent after the content headers.</summary>
    public IReadOnlyList<string> Headers { get; init; } = [];

    public static LoopbackAnswer Json(string json, int status = 200) => new(status, Encoding.UTF8.GetBytes(json));

    /// <summary>A JSON answer whose connection breaks after <paramref name="bytesSent"/> bytes of its body.</summary>
    public static LoopbackAnswer CutOff(string json, int bytesSent) => new(200, Encoding.UTF8.GetBytes(json), CutAfter: bytesSent);
}
