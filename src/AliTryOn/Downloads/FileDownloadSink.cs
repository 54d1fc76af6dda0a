using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.IO;

namespace AliTryOn.Downloads;

/// <summary>
/// A download into a file, whole or not at all: a temporary file in the target folder (emptied again by a retried
/// attempt), moved into place by <see cref="CommitAsync"/>, deleted on disposal otherwise.
/// </summary>
/// <param name="pathOf">The full path of the file, from the image's media type (which may choose its extension).</param>
internal sealed class FileDownloadSink(Func<string, string> pathOf) : DownloadSink
{
    private AtomicFile.Pending? _file;
    private string? _path;

    public override Stream Start(string mediaType, long? declaredLength)
    {
        var path = pathOf(mediaType);
        if (_file is not null && path == _path)
        {
            _file.Truncate();
            return _file.Stream;
        }

        // The first attempt, or a retry answered with another type (so another extension).
        _file?.Dispose();
        _file = null;
        _file = Create(path);
        _path = path;
        return _file.Stream;
    }

    /// <summary>The temporary file, or an error that names the file to be written rather than the temporary one.</summary>
    private static AtomicFile.Pending Create(string path)
    {
        try
        {
            return AtomicFile.Create(path);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new UnauthorizedAccessException($"The result image cannot be written to {Path.GetDirectoryName(path)} (as {Path.GetFileName(path)}): access is denied.", exception);
        }
        catch (IOException exception) when (exception.GetType() == typeof(IOException))
        {
            // Its subtypes (a path too long…) are left as they are, for callers that catch them.
            throw new IOException($"The result image could not be written as {path}: {exception.Message}", exception);
        }
    }

    /// <summary>Moves the complete image into place; returns its path.</summary>
    public async Task<string> CommitAsync(CancellationToken cancellationToken)
    {
        var file = _file ?? throw new InvalidOperationException("Nothing was downloaded.");
        await file.CommitAsync(_path!, cancellationToken).ConfigureAwait(false);
        return _path!;
    }

    public override void Dispose() => _file?.Dispose();
}
