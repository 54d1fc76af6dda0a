using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace AliTryOn.Downloads;

/// <summary>Copies a downloaded image, already in memory, to where it goes.</summary>
internal static class DownloadStreams
{
    public static Task CopyAsync(HttpContent content, Stream destination, CancellationToken cancellationToken)
    {
#if NET5_0_OR_GREATER
        return content.CopyToAsync(destination, cancellationToken);
#else
        cancellationToken.ThrowIfCancellationRequested();
        return content.CopyToAsync(destination);
#endif
    }
}
