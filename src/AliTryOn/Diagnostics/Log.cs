using Microsoft.Extensions.Logging;

namespace AliTryOn.Diagnostics;

/// <summary>The client's log messages: source-generated, with stable event ids. None carries a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(
        EventId = 1001,
        Level = LogLevel.Warning,
        Message = "Removed {HandlerType} from the HTTP client {ClientName}: TryOnClient has its own resilience pipeline, which never retries a submit that may have been billed; a second retry layer would.")]
    public static partial void ForeignResilienceRemoved(ILogger logger, string handlerType, string clientName);
}
