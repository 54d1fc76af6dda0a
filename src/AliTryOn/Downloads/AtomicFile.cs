using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace AliTryOn.Downloads;

/// <summary>
/// Writes a file whole or not at all: into a temporary file beside it, then moved into place. A failure or a
/// cancellation removes the temporary file and leaves any earlier file of that name as it was.
/// </summary>
internal static class AtomicFile
{
    private const int BufferBytes = 81920;

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, replacing a file already there.</summary>
    /// <param name="path">The full path of the file; its folder is created if missing.</param>
    /// <param name="content">The bytes, already in memory.</param>
    /// <param name="cancellationToken">Cancels the write; the file is then not created or changed.</param>
    public static async Task WriteAsync(string path, HttpContent content, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var temporary = Path.Combine(folder ?? string.Empty, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes, FileOptions.Asynchronous))
            {
                await DownloadStreams.CopyAsync(content, file, cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            MoveIntoPlace(temporary, path);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void MoveIntoPlace(string temporary, string path)
    {
#if NETCOREAPP3_0_OR_GREATER
        File.Move(temporary, path, overwrite: true);
#else
        if (File.Exists(path))
        {
            File.Replace(temporary, path, destinationBackupFileName: null);
        }
        else
        {
            File.Move(temporary, path);
        }
#endif
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The original failure is the one to report.
        }
    }
}
