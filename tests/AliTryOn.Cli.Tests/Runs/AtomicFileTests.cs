using System.Text.Json;
using AliTryOn.Cli.Tests.TestSupport;
using AliTryOn.IO;

namespace AliTryOn.Cli.Tests.Runs;

/// <summary>The one atomic-file helper (the tool's state, reports and images, and the library's downloads).</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task A_write_that_fails_halfway_leaves_the_old_file_and_no_temporary()
    {
        var path = _folder.File("state.json");
        await AtomicFile.WriteAsync(path, "old", CancellationToken.None);

        var failure = await Assert.ThrowsAsync<IOException>(() => AtomicFile.WriteAsync(
            path,
            async (stream, token) =>
            {
                await stream.WriteAsync("{\"half\":"u8.ToArray(), token);
                throw new IOException("disk full");
            },
            CancellationToken.None));

        Assert.Equal("disk full", failure.Message);
        Assert.Equal("old", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public async Task A_cancelled_write_leaves_the_old_file_and_no_temporary()
    {
        var path = _folder.File("state.json");
        await AtomicFile.WriteAsync(path, "old", CancellationToken.None);
        using var cancellation = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AtomicFile.WriteAsync(
            path,
            async (stream, token) =>
            {
                await stream.WriteAsync("new"u8.ToArray(), token);
                await cancellation.CancelAsync();
                token.ThrowIfCancellationRequested();
            },
            cancellation.Token));

        Assert.Equal("old", await File.ReadAllTextAsync(path));
        Assert.Single(Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public async Task A_reader_never_sees_a_torn_or_missing_file_while_it_is_rewritten()
    {
        var path = _folder.File("state.json");
        await AtomicFile.WriteAsync(path, JsonSerializer.Serialize(new { n = 0, pad = new string('x', 20_000) }), CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var reads = 0;
        var newerReads = 0;
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Every read finds a whole document: the old one or the new one.
                using var document = JsonDocument.Parse(await File.ReadAllTextAsync(path));
                Assert.Equal(20_000, document.RootElement.GetProperty("pad").GetString()!.Length);
                reads++;
                if (document.RootElement.GetProperty("n").GetInt32() > 0)
                {
                    Interlocked.Increment(ref newerReads);
                }

                reading.TrySetResult();
            }
        });

        // The writes start once the reader is reading, however late a busy machine starts it.
        await Task.WhenAny(reading.Task, reader);
        // At least 200 writes, and more until the reader has read 50 times while they went on, so reads and
        // rewrites really overlapped, however the machine schedules the two.
        var written = 0;
        while (written < 200 || (Volatile.Read(ref newerReads) < 50 && written < 100_000 && !reader.IsCompleted))
        {
            written++;
            await AtomicFile.WriteAsync(path, JsonSerializer.Serialize(new { n = written, pad = new string('x', 20_000) }), CancellationToken.None);
        }

        await stop.CancelAsync();
        await reader;
        Assert.True(newerReads >= 50, $"Only {newerReads} reads overlapped the {written} rewrites.");
        Assert.Single(Directory.GetFiles(_folder.Path));
        using var last = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        Assert.Equal(written, last.RootElement.GetProperty("n").GetInt32());
    }

    [Fact]
    public void Temporaries_a_crash_left_behind_are_deleted_and_other_files_are_not()
    {
        var path = _folder.File("state.json");
        File.WriteAllText(path, "current");
        File.WriteAllText(_folder.File($".state.json.{Guid.NewGuid():N}.tmp"), "{\"torn");
        File.WriteAllText(_folder.File(".report.json.3f2a4b5c6d7e8f90a1b2c3d4e5f60718.tmp"), "another file's");

        AtomicFile.DeleteTemporaries(path);

        Assert.Equal([".report.json.3f2a4b5c6d7e8f90a1b2c3d4e5f60718.tmp", "state.json"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("current", File.ReadAllText(path));
    }

    [Theory]
    [InlineData(217, "x")] // the longest name kept whole in its temporary's
    [InlineData(218, "x")]
    [InlineData(251, "x")] // with ".png", the longest name the file system takes
    [InlineData(125, "é")] // 250 bytes in UTF-8
    [InlineData(62, "😀")] // 248 bytes, in pairs of UTF-16 code units that are never split
    public async Task A_file_of_a_long_name_is_written_through_a_hidden_temporary_within_the_name_limit(int count, string letter)
    {
        var name = string.Concat(Enumerable.Repeat(letter, count)) + (count == 251 ? ".png" : string.Empty);
        var path = _folder.File(name);

        using (var pending = AtomicFile.Create(path))
        {
            var temporary = Path.GetFileName(Assert.Single(Directory.GetFiles(_folder.Path)));
            Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(temporary), 1, 255);
            Assert.StartsWith("." + name[..8], temporary, StringComparison.Ordinal); // hidden, and recognisable
            Assert.EndsWith(".tmp", temporary, StringComparison.Ordinal);
            Assert.Equal(temporary, temporary.Normalize()); // a whole string: no half of a pair
        }

        await AtomicFile.WriteAsync(path, "whole", CancellationToken.None);

        Assert.Equal("whole", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public void The_temporaries_of_long_names_a_crash_left_behind_are_deleted_and_those_of_similar_names_are_not()
    {
        var longName = new string('x', 230) + "-0";
        var similar = new string('x', 230) + "-1"; // the same start and the same length
        var other = new string('x', 229) + "y-0";
        var leftovers = new[] { longName, similar, other }.ToDictionary(n => n, Leftover);

        AtomicFile.DeleteTemporaries(_folder.File(longName));

        Assert.False(File.Exists(leftovers[longName]));
        Assert.True(File.Exists(leftovers[similar]));
        Assert.True(File.Exists(leftovers[other]));

        AtomicFile.DeleteTemporaries(_folder.Path, target => AtomicFile.TargetMatches(target, similar));

        Assert.False(File.Exists(leftovers[similar]));
        Assert.True(File.Exists(leftovers[other]));
    }

    /// <summary>A temporary file as a write to <paramref name="name"/> that a crash interrupted leaves it.</summary>
    private string Leftover(string name)
    {
        var before = Directory.GetFiles(_folder.Path).ToHashSet(StringComparer.Ordinal);
        string temporary;
        using (AtomicFile.Create(_folder.File(name)))
        {
            temporary = Directory.GetFiles(_folder.Path).Single(f => !before.Contains(f));
        }

        File.WriteAllText(temporary, "torn");
        return temporary;
    }

    public void Dispose() => _folder.Dispose();
}
