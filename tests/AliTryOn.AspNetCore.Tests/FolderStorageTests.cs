using Microsoft.Extensions.Time.Testing;

namespace AliTryOn.AspNetCore.Tests;

/// <summary>The folder variant: no cache needed, one file a key, removed on delete and swept once expired.</summary>
public sealed class FolderStorageTests : IDisposable
{
    private readonly string _folder = Path.Combine(Directory.CreateTempSubdirectory("alitryon-app-host-").FullName, "images");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);

    [Fact]
    public async Task Folder_storage_serves_images_and_removes_them_on_delete()
    {
        // No IDistributedCache registered at all.
        await using var server = await AppServer.StartAsync(new AppServerSettings { FolderPath = _folder, NoCache = true });
        var (upload, url) = await server.PublishAsync();
        var file = Path.Combine(_folder, upload.Key[..32], upload.Key[33..]);
        Assert.Equal(upload.Content.ToArray(), await File.ReadAllBytesAsync(file));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(file)!, "*.tmp"));

        using var http = server.CreateClient();
        using (var response = await http.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(upload.Content.ToArray(), await response.Content.ReadAsByteArrayAsync());
            Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        }

        await server.Host.DeleteAsync(upload.Key);

        Assert.False(File.Exists(file));
        Assert.False(Directory.Exists(Path.GetDirectoryName(file)), "the submit's folder, now empty, is removed too");
        using var after = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task Folder_sweep_removes_expired_images_and_nothing_else()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await AppServer.StartAsync(new AppServerSettings { FolderPath = _folder, NoCache = true, Time = time });
        var (old, _) = await server.PublishAsync(variant: 1, lifetime: TimeSpan.FromMinutes(5));
        var oldFile = Path.Combine(_folder, old.Key[..32], old.Key[33..]);
        var foreignFolder = Path.Combine(_folder, old.Key[..32].Replace(old.Key[0], old.Key[0] == 'a' ? 'b' : 'a'));
        Directory.CreateDirectory(foreignFolder);
        var foreign = new[] { Path.Combine(_folder, "notes.txt"), Path.Combine(foreignFolder, "notes.txt") };
        foreach (var path in foreign)
        {
            await File.WriteAllTextAsync(path, "not an image of the host");
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddDays(-30));
        }

        // Past the old image's expiry and the sweep interval: the next publish sweeps.
        time.Advance(TimeSpan.FromMinutes(11));
        var (fresh, _) = await server.PublishAsync(variant: 2);

        Assert.False(File.Exists(oldFile));
        Assert.False(Directory.Exists(Path.GetDirectoryName(oldFile)));
        Assert.True(File.Exists(Path.Combine(_folder, fresh.Key[..32], fresh.Key[33..])));
        Assert.All(foreign, path => Assert.True(File.Exists(path), path));
        Assert.Contains(server.Logs.Entries, entry => entry.EventId.Id == 5006);
    }
}
