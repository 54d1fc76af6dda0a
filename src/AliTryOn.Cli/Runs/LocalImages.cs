using System.Security.Cryptography;
using System.Text;
using AliTryOn.Cli.Manifest;

namespace AliTryOn.Cli.Runs;

/// <summary>The content half of a row's identity: the SHA-256 of its local images, so that an edited photo is new work.</summary>
internal static class LocalImages
{
    /// <summary>
    /// The entries, each row with local images given <see cref="WrittenTask.LocalImagesSha256"/> when all of them could
    /// be read (a file used by many rows is read once); a row whose file cannot be read is left without it (the check
    /// before the submit says why).
    /// </summary>
    public static async Task<IReadOnlyList<ManifestEntry>> IdentifyAsync(IReadOnlyList<ManifestEntry> entries, CancellationToken cancellationToken = default)
    {
        var hashes = new Dictionary<string, string?>(StringComparer.Ordinal);
        var identified = new ManifestEntry[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var text = new StringBuilder();
            var complete = true;
            foreach (var image in entry.Images())
            {
                if (image.Image is not FileImage file)
                {
                    continue;
                }

                if (!hashes.TryGetValue(file.Path, out var hash))
                {
                    hashes[file.Path] = hash = await HashAsync(file.Path, cancellationToken).ConfigureAwait(false);
                }

                complete &= hash is not null;
                text.Append(image.Column).Append('=').Append(hash).Append('\n');
            }

            identified[i] = text.Length == 0 || !complete
                ? entry
                : entry with { Written = entry.Written with { LocalImagesSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))) } };
        }

        return identified;
    }

    /// <summary>A file's SHA-256, or <see langword="null"/> when it cannot be read.</summary>
    private static async Task<string?> HashAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException)
        {
            return null;
        }
    }
}
