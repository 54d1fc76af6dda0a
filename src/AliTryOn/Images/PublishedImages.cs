using System.Collections.Generic;

namespace AliTryOn.Images;

/// <summary>The images one submit published, the host that holds them, and when their links expire (they are of no use after).</summary>
internal sealed record PublishedImages(TryOnImageHost Host, IReadOnlyList<string> Keys, System.DateTimeOffset ExpiresAt);
