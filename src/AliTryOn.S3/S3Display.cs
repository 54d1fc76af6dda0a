using System;

namespace AliTryOn.S3;

/// <summary>How the package shows a storage endpoint: scheme, host and port, never a user name, password, path or query.</summary>
internal static class S3Display
{
    public static string Endpoint(Uri url) => url.IsAbsoluteUri ? url.Scheme + "://" + url.Authority : "(a relative URL)";

    /// <summary>A configured endpoint's text for a message: a value that may hold a password (<c>user:pass@</c>) is not shown.</summary>
    public static string EndpointText(string text) =>
        text.IndexOf('@') >= 0 ? "(not shown: it has a user name or password)" : text;
}
