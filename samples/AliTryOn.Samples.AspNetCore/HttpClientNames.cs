namespace AliTryOn.Samples.AspNetCore;

/// <summary>Names of the app's own <see cref="HttpClient"/>s.</summary>
internal static class HttpClientNames
{
    /// <summary>
    /// Downloads result images. It has no authentication handler: the AppCode (and any <c>X-Ca-*</c> gateway header)
    /// is for the API alone and must never reach the storage host that serves the images.
    /// </summary>
    public const string Results = "results";
}
