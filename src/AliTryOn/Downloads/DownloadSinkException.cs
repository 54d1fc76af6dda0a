using System;

namespace AliTryOn.Downloads;

/// <summary>
/// Carries an error of a <see cref="DownloadSink"/> (a full disk, a folder that may not be written) out of a download's
/// attempt: the retry policy retries lost connections, which are <see cref="System.IO.IOException"/>s too, and must not
/// take a local failure for one. <see cref="ResultDownloader"/> throws the inner exception again.
/// </summary>
internal sealed class DownloadSinkException(Exception inner) : Exception(inner.Message, inner);
