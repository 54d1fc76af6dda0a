using System.Net.Sockets;
using System.Text;

namespace AliTryOn.AspNetCore.Tests.TestSupport;

/// <summary>A request sent byte for byte as written (no client normalizes its path), and the raw answer.</summary>
public static class RawHttp
{
    public static async Task<(int Status, string Head, byte[] Body)> SendAsync(Uri server, string target, string method = "GET", string host = "app.tryon.test")
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        var request = Encoding.ASCII.GetBytes($"{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(request);
        using var answer = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await stream.CopyToAsync(answer, timeout.Token);
        var bytes = answer.ToArray();
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        var head = Encoding.ASCII.GetString(bytes, 0, end);
        var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, head, bytes[(end + 4)..]);
    }
}
