using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace AliTryOn.S3.Tests.TestSupport;

/// <summary>The SigV4 query parameters of a presigned URL, and when it stops working.</summary>
/// <param name="Algorithm"><c>X-Amz-Algorithm</c>.</param>
/// <param name="Credential"><c>X-Amz-Credential</c>: access key ID, date, region, service.</param>
/// <param name="SignedAt"><c>X-Amz-Date</c>.</param>
/// <param name="Lifetime"><c>X-Amz-Expires</c>.</param>
/// <param name="Signature"><c>X-Amz-Signature</c>.</param>
internal sealed record PresignedUrl(string Algorithm, string Credential, DateTimeOffset SignedAt, TimeSpan Lifetime, string Signature)
{
    public DateTimeOffset ExpiresAt => SignedAt + Lifetime;

    public static PresignedUrl Parse(Uri url)
    {
        var query = QueryHelpers.ParseQuery(url.Query);
        string Single(string name) => Assert.Single(query[name].ToArray())!;
        return new PresignedUrl(
            Single("X-Amz-Algorithm"),
            Single("X-Amz-Credential"),
            DateTimeOffset.ParseExact(Single("X-Amz-Date"), "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            TimeSpan.FromSeconds(int.Parse(Single("X-Amz-Expires"), CultureInfo.InvariantCulture)),
            Single("X-Amz-Signature"));
    }
}
