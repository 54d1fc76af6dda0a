using System.Collections.Generic;

namespace AliTryOn.Images;

/// <summary>The images one submit published, and the host that holds them.</summary>
internal sealed record PublishedImages(TryOnImageHost Host, IReadOnlyList<string> Keys);
