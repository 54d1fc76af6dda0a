// Also compiled into the command-line tool, whose implicit usings make these redundant there.
#pragma warning disable IDE0005
using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
#pragma warning restore IDE0005

namespace AliTryOn.IO;

/// <summary>
/// Writes a file whole or not at all: into a temporary file of a unique name in the same folder, then moved into place
/// in one step. A crash of the process at any instant leaves the old file or the new one, never a torn or missing one;
/// a failure or a cancellation removes the temporary file and leaves the old file as it was. With <c>durable</c>, the
/// file is flushed to the disk before the move, so a power loss cannot leave it empty either (the folder is not
/// flushed: after a power loss the old file may come back, which is still whole).
/// </summary>
/// <remarks>The one such helper of the code base: the library's downloads and the command-line tool (which links this file) share it.</remarks>
internal static class AtomicFile
{
    private const int BufferBytes = 81920;
    private const string TemporarySuffix = ".tmp";

    /// <summary>The longest file name of the usual file systems (ext4, XFS, APFS), in bytes of UTF-8.</summary>
    private const int MaxNameBytes = 255;

    /// <summary>What a temporary file's name adds to the part kept from its target's: <c>.</c>, <c>.</c>, a GUID's 32 hex digits, <c>.tmp</c>.</summary>
    private const int TemporaryBytes = 1 + 1 + 32 + 4;

    /// <summary>How many characters of a long name's end its temporary keeps (a row's image number, an extension).</summary>
    private const int KeptEndChars = 12;

    /// <summary>How many hex digits of the SHA-256 of a long name its temporary keeps, to tell apart names of the same start and end.</summary>
    private const int HashDigits = 16;

    /// <summary>A temporary file named in an error's message (quoted, as the system's messages quote paths).</summary>
    private static readonly Regex QuotedTemporary = new(@"'[^']*\.[0-9a-f]{32}\.tmp'", RegexOptions.CultureInvariant);

    /// <summary>Writes what <paramref name="write"/> writes to <paramref name="path"/>, replacing a file already there.</summary>
    /// <param name="path">The full path of the file; its folder is created if missing.</param>
    /// <param name="write">Writes the content to the stream it is given (a temporary file).</param>
    /// <param name="cancellationToken">Cancels the write; the file is then not created or changed.</param>
    /// <param name="durable">Flush the file to the disk before it is moved into place (a state file); default: no (an image, a report).</param>
    /// <exception cref="IOException">The file could not be written or moved into place.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder may not be written.</exception>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken, bool durable = false)
    {
        using var pending = Create(path);
        await write(pending.Stream, cancellationToken).ConfigureAwait(false);
        await pending.CommitAsync(path, cancellationToken, durable).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a file written in steps: a temporary file beside <paramref name="path"/>, to be moved into place by
    /// <see cref="Pending.CommitAsync"/> (possibly under another name in the same folder, once the content says which),
    /// or deleted by <see cref="Pending.Dispose"/> if it was not.
    /// </summary>
    /// <param name="path">The full path the file is meant for; its folder is created if missing.</param>
    /// <exception cref="IOException">The temporary file could not be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder may not be written.</exception>
    public static Pending Create(string path)
    {
        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var temporary = Path.Combine(folder ?? string.Empty, TemporaryPrefix(path) + Guid.NewGuid().ToString("N") + TemporarySuffix);
        return new Pending(temporary, new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes, FileOptions.Asynchronous));
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>, whole or not at all.</summary>
    public static Task WriteAsync(string path, ArraySegment<byte> bytes, CancellationToken cancellationToken, bool durable = false) =>
        WriteAsync(path, (stream, token) => stream.WriteAsync(bytes.Array!, bytes.Offset, bytes.Count, token), cancellationToken, durable);

    /// <summary>Writes <paramref name="text"/> as UTF-8 (without a byte-order mark) to <paramref name="path"/>, whole or not at all.</summary>
    public static Task WriteAsync(string path, string text, CancellationToken cancellationToken, bool durable = false) =>
        WriteAsync(path, new ArraySegment<byte>(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text)), cancellationToken, durable);

    /// <summary>
    /// Deletes the temporary files of writes to <paramref name="path"/> that a crash interrupted (names as
    /// <see cref="Create"/> makes them), and nothing else. Call it only where no other process writes that file at the
    /// same time.
    /// </summary>
    public static void DeleteTemporaries(string path)
    {
        var name = Path.GetFileName(path);
        DeleteTemporaries(Path.GetDirectoryName(path) ?? string.Empty, kept => TargetMatches(kept, name));
    }

    /// <summary>
    /// Deletes the temporary files that interrupted writes left in <paramref name="folder"/> for the targets (file names,
    /// as given to <see cref="Create"/>) that <paramref name="isTarget"/> accepts. Call it only where no other process
    /// writes those files at the same time.
    /// </summary>
    /// <remarks>
    /// <paramref name="isTarget"/> is given each target's name as its temporary keeps it: the whole name, or, for a name
    /// too long to be kept whole within the file system's limit, its start and its end around a hash of the whole
    /// (<see cref="TargetMatches"/> tells whether it is a given name's).
    /// </remarks>
    public static void DeleteTemporaries(string folder, Func<string, bool> isTarget)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        // ".{target}.{a GUID's 32 hex digits}.tmp", as Create names them.
        var tail = 1 + 32 + TemporarySuffix.Length;
        foreach (var leftover in Directory.GetFiles(folder, ".*" + TemporarySuffix))
        {
            var name = Path.GetFileName(leftover);
            if (name.Length > 1 + tail && name[name.Length - tail] == '.' && Guid.TryParseExact(name.Substring(name.Length - tail + 1, 32), "N", out _) && isTarget(name.Substring(1, name.Length - 1 - tail)))
            {
                TryDelete(leftover);
            }
        }
    }

    /// <summary>Whether <paramref name="kept"/>, a target's name as <see cref="DeleteTemporaries(string, Func{string, bool})"/> gives it, is <paramref name="target"/>'s.</summary>
    public static bool TargetMatches(string kept, string target) => string.Equals(kept, Kept(target), StringComparison.Ordinal);

    /// <summary>
    /// <paramref name="message"/>, an error's, with the temporary files it names (the system names the file it failed
    /// on) replaced by <paramref name="path"/>, the file being written: the one a person knows.
    /// </summary>
    public static string NamingTarget(string message, string path) => QuotedTemporary.Replace(message, "'" + path.Replace("$", "$$") + "'");

    /// <summary>Temporary files are hidden, and named after their target so they can be found again.</summary>
    private static string TemporaryPrefix(string path) => "." + Kept(Path.GetFileName(path)) + ".";

    /// <summary>
    /// The part of a target's name its temporary's keeps: the whole name when the temporary's stays within
    /// <see cref="MaxNameBytes"/>; else its start and its end, which a person recognises, around a hash of the whole, which
    /// tells it from the names of the same start and end. A character is never cut in half.
    /// </summary>
    private static string Kept(string name)
    {
        var budget = MaxNameBytes - TemporaryBytes;
        if (Encoding.UTF8.GetByteCount(name) <= budget)
        {
            return name;
        }

        var endStart = name.Length - KeptEndChars;
        if (char.IsLowSurrogate(name[endStart]))
        {
            endStart++;
        }

        var end = name.Substring(endStart);
        var startBytes = budget - Encoding.UTF8.GetByteCount(end) - HashDigits - 2;
        var startLength = 0;
        for (var bytes = 0; startLength < endStart; startLength++)
        {
            var c = name[startLength];
            var paired = char.IsLowSurrogate(c) && startLength > 0 && char.IsHighSurrogate(name[startLength - 1]);
            var size = paired ? 0 : char.IsHighSurrogate(c) ? 4 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            if (bytes + size > startBytes)
            {
                break;
            }

            bytes += size;
        }

        if (startLength > 0 && char.IsHighSurrogate(name[startLength - 1]))
        {
            startLength--;
        }

        return name.Substring(0, startLength) + "~" + Hash(name) + "~" + end;
    }

    private static string Hash(string name)
    {
        using var sha = SHA256.Create();
        var digest = sha.ComputeHash(Encoding.UTF8.GetBytes(name));
        var hex = new StringBuilder(HashDigits);
        for (var i = 0; i < HashDigits / 2; i++)
        {
            hex.Append(digest[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return hex.ToString();
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

    /// <summary>A file being written: its temporary file, until it is moved into place or deleted.</summary>
    internal sealed class Pending : IDisposable
    {
        private readonly string _temporary;
        private FileStream? _stream;

        internal Pending(string temporary, FileStream stream)
        {
            _temporary = temporary;
            _stream = stream;
        }

        /// <summary>The temporary file, to write the content to.</summary>
        public Stream Stream => _stream ?? throw new ObjectDisposedException(nameof(Pending));

        /// <summary>Empties the temporary file, to write the content again from its start (a retried download).</summary>
        public void Truncate()
        {
            var stream = _stream ?? throw new ObjectDisposedException(nameof(Pending));
            stream.SetLength(0);
            stream.Position = 0;
        }

        /// <summary>Flushes the temporary file and moves it to <paramref name="path"/>, replacing a file already there.</summary>
        /// <param name="path">The full path of the file; in the folder <see cref="Create"/> was given.</param>
        /// <param name="cancellationToken">Cancels the commit; the temporary file is then deleted on disposal.</param>
        /// <param name="durable">Flush the file to the disk before it is moved into place.</param>
        public async Task CommitAsync(string path, CancellationToken cancellationToken, bool durable = false)
        {
            var stream = _stream ?? throw new ObjectDisposedException(nameof(Pending));
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (durable)
            {
                // On the disk before the rename makes it the file.
                stream.Flush(flushToDisk: true);
            }

            stream.Dispose();
            _stream = null;
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                MoveIntoPlace(_temporary, path);
            }
            catch
            {
                TryDelete(_temporary);
                throw;
            }
        }

        /// <summary>Deletes the temporary file, unless it was moved into place.</summary>
        public void Dispose()
        {
            if (_stream is { } stream)
            {
                _stream = null;
                try
                {
                    stream.Dispose();
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // Its content is discarded anyway; the failure being handled is the one to report.
                }

                TryDelete(_temporary);
            }
        }
    }
}
