namespace AliTryOn.Tests.Properties;

/// <summary>
/// What the client must do with an answer, written down from the service contract (its status table and decisions)
/// and the README's error and retry tables, not from the client's code: which exception the caller gets (or a job),
/// and how many attempts reach the service. The property tests hold the client to it.
/// </summary>
internal static class ResponseOracle
{
    /// <summary>The spec's status table: each documented <c>code</c> and its exception.</summary>
    public static readonly IReadOnlyDictionary<string, Type> Codes = new Dictionary<string, Type>
    {
        ["23500000"] = typeof(TryOnServiceException),
        ["23500001"] = typeof(TryOnAuthenticationException),
        ["23500002"] = typeof(TryOnOperationNotSupportedException),
        ["23500003"] = typeof(TryOnQuotaExceededException),
        ["23500004"] = typeof(TryOnThrottledException),
        ["23500005"] = typeof(TryOnContentRejectedException),
        ["23500006"] = typeof(TryOnImageUnreachableException),
        ["23500007"] = typeof(TryOnInvalidImageException),
        ["23500008"] = typeof(TryOnJobNotFoundException),
        ["23500009"] = typeof(TryOnInvalidRequestException),
        ["23500011"] = typeof(TryOnJobFailedException),
        ["23500012"] = typeof(TryOnInvalidRequestException),
        ["23500013"] = typeof(TryOnInvalidRequestException),
        ["23500014"] = typeof(TryOnInvalidRequestException),
    };

    /// <summary>The gateway's <c>X-Ca-Error-Message</c> values the spec lists, as the gateway spells them, and their exceptions.</summary>
    public static readonly IReadOnlyDictionary<string, Type> GatewayMessages = new Dictionary<string, Type>
    {
        ["Throttled by USER Flow Control"] = typeof(TryOnThrottledException),
        ["Throttled by APP Flow Control"] = typeof(TryOnThrottledException),
        ["Throttled by API Flow Control"] = typeof(TryOnThrottledException),
        ["Throttled by DOMAIN Flow Control"] = typeof(TryOnThrottledException),
        ["Quota Exhausted"] = typeof(TryOnQuotaExceededException),
        ["Quota Expired"] = typeof(TryOnQuotaExceededException),
        ["Expiry of Authorization"] = typeof(TryOnQuotaExceededException),
        ["User Arrears"] = typeof(TryOnQuotaExceededException),
        ["Unauthorized"] = typeof(TryOnAuthenticationException),
        ["Invalid AppCode"] = typeof(TryOnAuthenticationException),
        ["Invalid AppCode `not exists`"] = typeof(TryOnAuthenticationException),
        ["Invalid Url"] = typeof(TryOnOperationNotSupportedException),
        ["Invalid Domain"] = typeof(TryOnOperationNotSupportedException),
        ["Invalid Param Location"] = typeof(TryOnInvalidRequestException),
        ["Invalid AppKey"] = typeof(TryOnAuthenticationException),
        ["Invalid AppSecret"] = typeof(TryOnAuthenticationException),
        ["Timestamp Expired"] = typeof(TryOnAuthenticationException),
        ["Invalid Timestamp"] = typeof(TryOnAuthenticationException),
        ["Invalid Content-MD5"] = typeof(TryOnAuthenticationException),
        ["Nonce Used"] = typeof(TryOnAuthenticationException),
        ["API Not Found"] = typeof(TryOnOperationNotSupportedException),
        ["Invalid Signature, Server StringToSign:`POST\\n\\n\\napplication/json\\n\\n/api/v2/tryon/submit`"] = typeof(TryOnAuthenticationException),
        ["Empty Signature"] = typeof(TryOnAuthenticationException),
        ["Internal Error"] = typeof(TryOnServiceException),
        ["Failed To Invoke Backend Service"] = typeof(TryOnServiceException),
        ["Service Unavailable"] = typeof(TryOnServiceException),
        ["Async Service"] = typeof(TryOnServiceException),
    };

    /// <summary>The exception an error status gives when neither the body nor the gateway names the error.</summary>
    public static Type ByStatus(int status) => status switch
    {
        >= 300 and <= 399 => typeof(TryOnRedirectException),
        400 or 413 or 415 => typeof(TryOnInvalidRequestException),
        401 => typeof(TryOnAuthenticationException),
        404 or 405 => typeof(TryOnOperationNotSupportedException),
        429 => typeof(TryOnThrottledException),
        >= 500 => typeof(TryOnServiceException),
        _ => typeof(TryOnException),
    };

    /// <summary>What the caller gets, and after how many attempts, when every attempt is answered with <paramref name="c"/>.</summary>
    /// <param name="c">The answer.</param>
    /// <param name="maxRetries">The client's <c>Retry:MaxRetries</c>.</param>
    public static Outcome Expect(OracleCase c, int maxRetries)
    {
        var error = ErrorOf(c);
        if (error is null)
        {
            return new Outcome(null, 1);
        }

        var submit = c.Op == OracleCase.Operation.Submit;

        // A throttling answer proves nothing was processed: retried for both operations. A query is read-only, so
        // server errors (5xx) and an unknown error with 408 or 5xx are retried too.
        var retried = error == typeof(TryOnThrottledException)
            || (!submit && (error == typeof(TryOnServiceException) || (error == typeof(TryOnException) && c.Status is 408 or >= 500)));
        var attempts = retried ? 1 + maxRetries : 1;

        // A submit answered with a 5xx not naming a rejection, "the job failed" (which speaks of a job), a success it
        // cannot read, or a code it does not know on a success status, may have created the job.
        var inDoubt = submit
            && (error == typeof(TryOnServiceException)
                || error == typeof(TryOnJobFailedException)
                || (error == typeof(TryOnException) && c.Status is (>= 200 and <= 299) or >= 500)
                || error == typeof(TryOnInvalidResponseException));
        return new Outcome(inDoubt ? typeof(TryOnSubmitOutcomeUnknownException) : error, attempts);
    }

    /// <summary>The exception one answer stands for, or <see langword="null"/> for a job.</summary>
    private static Type? ErrorOf(OracleCase c)
    {
        var code = c.CarriesCode ? c.Code : null;
        var success = c.Shape switch
        {
            OracleCase.Body.Error or OracleCase.Body.SuccessFalseWithoutCode => false,
            OracleCase.Body.SuccessTrueWithCode or OracleCase.Body.Job => true,
            _ => (bool?)null,
        };

        // A success: a 2xx status, a body that does not say success: false, and a code of zero (or none).
        if (c.Status is >= 200 and <= 299 && success != false && IsZero(code))
        {
            return c.Shape == OracleCase.Body.Job ? null : typeof(TryOnInvalidResponseException);
        }

        // The body's code wins (a number in any JSON form: decision 2), then the gateway's message, then an unknown
        // code is kept as such, then the status.
        if (code is not null && Codes.TryGetValue(AsInteger(code), out var byCode))
        {
            return byCode;
        }

        if (c.GatewayMessage is not null && GatewayMessages.TryGetValue(c.GatewayMessage, out var byGateway))
        {
            return byGateway;
        }

        return IsZero(code) ? ByStatus(c.Status) : typeof(TryOnException);
    }

    /// <summary>The exception the caller gets (<see langword="null"/>: the job), and how many attempts reach the service.</summary>
    public sealed record Outcome(Type? Exception, int Attempts);

    private static bool IsZero(string? code) => code is null || code.Trim() is "" || AsInteger(code) == "0";

    /// <summary>A code that is a whole number, however written (<c>0.0</c>, <c>-0</c>, <c>2.3500008E7</c>), as an integer's text.</summary>
    private static string AsInteger(string code) =>
        double.TryParse(code, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number) && number == Math.Floor(number)
            ? ((long)number).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : code;
}
