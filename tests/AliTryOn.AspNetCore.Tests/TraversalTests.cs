using System.Text;

namespace AliTryOn.AspNetCore.Tests;

/// <summary>
/// Paths that are not the client's keys, sent byte for byte (no client normalizes them), each with a signature made
/// for exactly what it names: the key check alone refuses them with 404, before any store is touched.
/// </summary>
public sealed class TraversalTests : IDisposable
{
    private static readonly byte[] Sentinel = Encoding.ASCII.GetBytes("TOP-SECRET-SENTINEL-OUTSIDE-THE-IMAGE-FOLDER");

    private readonly string _root = Directory.CreateTempSubdirectory("alitryon-app-host-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Traversal_and_malformed_keys_are_not_found_and_nothing_outside_the_folder_is_read()
    {
        var folder = Path.Combine(_root, "images");
        await File.WriteAllBytesAsync(Path.Combine(_root, "secret.png"), Sentinel);
        await using var server = await AppServer.StartAsync(new AppServerSettings { FolderPath = folder, NoCache = true });
        var (upload, _) = await server.PublishAsync();
        await File.WriteAllBytesAsync(Path.Combine(folder, "secret.png"), Sentinel);

        foreach (var target in Targets(upload.Key))
        {
            var (status, head, body) = await RawHttp.SendAsync(server.Address, Signed(server, target));

            Assert.True(status == 404, $"{target} answered {status}:\n{head}");
            Assert.Equal(-1, body.AsSpan().IndexOf(Sentinel));
        }

        Assert.DoesNotContain(server.Logs.Entries, entry => entry.EventId.Id == 5003);
    }

    [Fact]
    public async Task Traversal_and_malformed_keys_never_reach_the_cache()
    {
        var cache = new CountingCache();
        await using var server = await AppServer.StartAsync(new AppServerSettings { Cache = cache });
        var (upload, _) = await server.PublishAsync();

        foreach (var target in Targets(upload.Key))
        {
            var (status, head, _) = await RawHttp.SendAsync(server.Address, Signed(server, target));

            Assert.True(status == 404, $"{target} answered {status}:\n{head}");
        }

        Assert.Equal(0, cache.Reads);
    }

    /// <summary>Raw request paths below /tryon-images/, around a published key <c>{folder}/{hash}.png</c>.</summary>
    private static IEnumerable<string> Targets(string key)
    {
        var folder = key[..32];
        var file = key[33..];
        var hash = file[..64];
        var otherFolder = new string('0', 32);
        return
        [
            "..%2Fsecret.png",
            "..%2F..%2Fsecret.png",
            "%2e%2e%2fsecret.png",
            "%2E%2E/secret.png",
            "../secret.png",
            "..%5Csecret.png",
            "..\\secret.png",
            "%252e%252e%252fsecret.png",
            "secret.png",
            string.Empty,
            $"{folder}/..%2F..%2Fsecret.png",
            $"{folder}/..%2Fsecret.png",
            $"{otherFolder}/..%2F{folder}%2F{file}",
            $"{folder}/{file}%2F..%2F..%2Fsecret.png",
            $"{folder}/{file}/../../../secret.png",
            $"{folder}/{file}/extra",
            $"{folder.ToUpperInvariant()}/{file}",
            $"{folder}/{hash.ToUpperInvariant()}.png",
            $"{folder}/{hash}.PNG",
            $"{folder}/{hash}.exe",
            $"{folder}/{hash}.png.txt",
            $"{folder}/{hash}.png%20",
            $"{folder}//{file}",
            $"/{folder}/{file}",
            $"{folder}\\{file}",
            $"{folder[..31]}/{file}",
            $"{folder}/{hash[..63]}.png",
        ];
    }

    /// <summary>The target with an expiry and a signature over what it names, decoded as a route would see it.</summary>
    private static string Signed(AppServer server, string target)
    {
        var expires = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return $"/tryon-images/{target}?expires={expires}&sig={server.Sign(Uri.UnescapeDataString(target), expires)}";
    }
}
