namespace AliTryOn.Cli.Output;

/// <summary>The error of an <see cref="ErrorDocument"/>: the exception's type name (TryOnQuotaExceededException…), the message, the result key to resume with when there is one.</summary>
internal sealed record ErrorDetail(string Type, string Message, string? ResultKey = null);
