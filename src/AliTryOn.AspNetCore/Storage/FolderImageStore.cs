using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.AspNetCore.Diagnostics;
using AliTryOn.AspNetCore.Signing;
using Microsoft.Extensions.Logging;

namespace AliTryOn.AspNetCore.Storage;

/// <summary>
/// Images in a folder: <c>{folder}/{32 hex}/{64 hex}.{ext}</c>, written whole under a temporary name and then moved into
/// place, so a reader never sees half an image. A file's last-write time is set to its expiry, and files past it (left
/// by a crash, or by <see cref="TryOnImageCleanup.Keep"/>) are swept at most every <see cref="SweepInterval"/> while
/// images are published. Only names this store writes are ever read or removed.
/// </summary>
internal sealed class FolderImageStore : IAppImageStore
{
    internal static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(10);

    /// <summary>How long a temporary file may stay before the sweep takes it for the leftover of a crash.</summary>
    private static readonly TimeSpan TemporaryLifetime = TimeSpan.FromHours(1);

    private const string TemporarySuffix = ".tmp";

    private readonly string _root;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private long _nextSweepTicks;

    public FolderImageStore(string folder, TimeProvider timeProvider, ILogger logger)
    {
        _root = Path.GetFullPath(folder);
        _timeProvider = timeProvider;
        _logger = logger;
        Directory.CreateDirectory(_root);
    }

    public string Description => $"folder {_root}";

    public async Task SaveAsync(string key, ReadOnlyMemory<byte> content, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        var temporary = $"{path}.{Guid.NewGuid():N}{TemporarySuffix}";
        try
        {
            // Twice at most: a sweep may remove the submit's folder between its creation and the write.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous);
                    await using (file.ConfigureAwait(false))
                    {
                        await file.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                }
                catch (DirectoryNotFoundException) when (attempt == 1)
                {
                }
            }

            File.SetLastWriteTimeUtc(temporary, expiresAt.UtcDateTime);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        SweepIfDue();
    }

    public async Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(key), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = PathOf(key);
        TryDelete(path);
        TryDeleteIfEmpty(Path.GetDirectoryName(path)!);
        return Task.CompletedTask;
    }

    /// <summary>The file of a well-formed key, checked once more to be inside the folder.</summary>
    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, ImageKey.Folder(key), ImageKey.FileName(key)));
        return path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new InvalidOperationException("An image key resolved outside the image folder.");
    }

    private void SweepIfDue()
    {
        var now = _timeProvider.GetUtcNow();
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks, due) != due)
        {
            return;
        }

        var swept = 0;
        try
        {
            foreach (var folder in Directory.EnumerateDirectories(_root).Where(static d => ImageKey.IsFolder(Path.GetFileName(d))))
            {
                foreach (var file in Directory.EnumerateFiles(folder))
                {
                    if (IsExpired(folder, file, now) && TryDelete(file))
                    {
                        swept++;
                    }
                }

                TryDeleteIfEmpty(folder);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Log.SweepFailed(_logger, exception.GetType().Name);
        }

        if (swept > 0)
        {
            Log.Swept(_logger, swept);
        }
    }

    /// <summary>An image of ours past its expiry, or a temporary file of ours left long ago.</summary>
    private static bool IsExpired(string folder, string file, DateTimeOffset now)
    {
        var name = Path.GetFileName(file);
        var image = Path.GetFileName(folder) + "/" + name;
        if (ImageKey.TryParse(image, out _))
        {
            return File.GetLastWriteTimeUtc(file) < now.UtcDateTime;
        }

        var end = name.Length - TemporarySuffix.Length - 33;
        return name.EndsWith(TemporarySuffix, StringComparison.Ordinal)
            && end > 0
            && ImageKey.TryParse(Path.GetFileName(folder) + "/" + name[..end], out _)
            && File.GetLastWriteTimeUtc(file) < (now - TemporaryLifetime).UtcDateTime;
    }

    private static bool TryDelete(string file)
    {
        try
        {
            File.Delete(file);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void TryDeleteIfEmpty(string folder)
    {
        try
        {
            if (!Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Gone already, or a new image arrived: either way it stays someone else's business.
        }
    }
}
