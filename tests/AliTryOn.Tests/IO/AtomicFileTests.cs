using AliTryOn.IO;

namespace AliTryOn.Tests.IO;

/// <summary>A file is written whole or not at all, on every build (net10.0 moves with overwrite; netstandard2.0 replaces).</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "alitryon-atomic-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_new_file_is_created_with_its_folder()
    {
        var path = Path.Combine(_folder, "sub", "state.json");

        await AtomicFile.WriteAsync(path, "first", CancellationToken.None, durable: true);

        Assert.Equal("first", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public async Task An_existing_file_is_replaced_and_no_temporary_is_left()
    {
        var path = Path.Combine(_folder, "state.json");
        await AtomicFile.WriteAsync(path, "first, and longer than what replaces it", CancellationToken.None);

        await AtomicFile.WriteAsync(path, "second", CancellationToken.None);

        Assert.Equal("second", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task A_write_that_fails_or_is_cancelled_leaves_the_old_file_as_it_was()
    {
        var path = Path.Combine(_folder, "state.json");
        await AtomicFile.WriteAsync(path, "old", CancellationToken.None);

        await Assert.ThrowsAsync<IOException>(() => AtomicFile.WriteAsync(path, async (stream, token) =>
        {
            await stream.WriteAsync("new, half"u8.ToArray(), token);
            throw new IOException("disk full");
        }, CancellationToken.None));
        using var cancelled = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AtomicFile.WriteAsync(path, async (stream, token) =>
        {
            await stream.WriteAsync("new, cancelled"u8.ToArray(), token);
            await cancelled.CancelAsync();
        }, cancelled.Token));

        Assert.Equal("old", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task Temporaries_of_an_interrupted_write_are_deleted_and_other_files_kept()
    {
        var path = Path.Combine(_folder, "state.json");
        await AtomicFile.WriteAsync(path, "kept", CancellationToken.None);
        var leftover = Path.Combine(_folder, ".state.json.0123456789abcdef0123456789abcdef.tmp");
        var unrelated = Path.Combine(_folder, ".other.json.0123456789abcdef0123456789abcdef.tmp");
        // Names no write makes, a user's: too short a tail, a tail of 32 characters that are not hex, not hidden.
        string[] usersOwn = [".state.json.backup.tmp", ".state.json.0123456789abcdefghijklmnopqrstuv.tmp", "xstate.json.0123456789abcdef0123456789abcdef.tmp"];
        await File.WriteAllTextAsync(leftover, "torn");
        await File.WriteAllTextAsync(unrelated, "not ours");
        foreach (var name in usersOwn)
        {
            await File.WriteAllTextAsync(Path.Combine(_folder, name), "a user's");
        }

        AtomicFile.DeleteTemporaries(path);

        Assert.False(File.Exists(leftover));
        Assert.True(File.Exists(unrelated));
        Assert.All(usersOwn, name => Assert.True(File.Exists(Path.Combine(_folder, name)), name));
        Assert.Equal("kept", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public void The_temporary_of_a_write_a_crash_cut_off_is_found_and_deleted()
    {
        var path = Path.Combine(_folder, "report.json");
        var pending = AtomicFile.Create(path); // never committed nor disposed: the process died here
        pending.Stream.WriteByte(1);
        pending.Stream.Flush();
        var temporary = Assert.Single(Directory.GetFiles(_folder));

        AtomicFile.DeleteTemporaries(path);

        Assert.False(File.Exists(temporary));
        pending.Dispose();
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
