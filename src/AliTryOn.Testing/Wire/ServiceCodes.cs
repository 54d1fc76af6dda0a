namespace AliTryOn.Testing.Wire;

/// <summary>The service's error codes with the HTTP status and message the vendor's document gives each.</summary>
internal static class ServiceCodes
{
    public const int InternalError = 23500000;
    public const int Unauthorized = 23500001;
    public const int NotSupported = 23500002;
    public const int CreditExhausted = 23500003;
    public const int Throttled = 23500004;
    public const int ContentRejected = 23500005;
    public const int ImageUnreachable = 23500006;
    public const int ImageInvalid = 23500007;
    public const int JobNotFound = 23500008;
    public const int RequiredEmpty = 23500009;
    public const int JobFailed = 23500011;
    public const int BodyMissing = 23500012;
    public const int IllegalParameter = 23500013;
    public const int IllegalServiceName = 23500014;

    public static int Status(int code) => code switch
    {
        Unauthorized => 401,
        NotSupported => 404,
        CreditExhausted or Throttled or ContentRejected => 403,
        InternalError or JobFailed => 500,
        _ => 400,
    };

    public static string Message(int code) => code switch
    {
        InternalError => "Internal server error",
        Unauthorized => "Authorization required to perform current operation",
        NotSupported => "Specified service does not exist",
        CreditExhausted => "User credit points are exhausted",
        Throttled => "Request was denied due to request throttling",
        ContentRejected => "The image did not pass the content compliance check",
        ImageUnreachable => "The image url provided is invalid or non-accessible",
        ImageInvalid => "The uploaded image does not meet the requirements",
        JobNotFound => "No records found related to the specified resultKey parameter",
        RequiredEmpty => "Required parameters cannot be empty",
        JobFailed => "Job execution failed",
        BodyMissing => "Required request body is missing",
        IllegalParameter => "Illegal input parameter found",
        IllegalServiceName => "Illegal service name",
        _ => "Unknown error",
    };
}
