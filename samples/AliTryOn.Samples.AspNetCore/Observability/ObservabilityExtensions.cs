using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AliTryOn.Samples.AspNetCore.Observability;

/// <summary>Wires the SDK's traces, metrics and logs, and the app's own, to OpenTelemetry.</summary>
internal static class ObservabilityExtensions
{
    /// <summary>
    /// Collects the <c>AliTryOn</c> activity source and meter beside ASP.NET Core's and HttpClient's, and the logs, and
    /// writes them to the console when <c>Telemetry:ConsoleExporter</c> is <see langword="true"/> (off by default: a
    /// few thousand lines a minute drown what someone trying the sample wants to see). Replace the
    /// console exporter with <c>UseOtlpExporter()</c> (package OpenTelemetry.Exporter.OpenTelemetryProtocol) to send
    /// them to a collector, Aspire's dashboard, Jaeger or Prometheus.
    /// </summary>
    public static WebApplicationBuilder AddSampleObservability(this WebApplicationBuilder builder)
    {
        var console = string.Equals(builder.Configuration["Telemetry:ConsoleExporter"], "true", StringComparison.OrdinalIgnoreCase);

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("alitryon-sample"))
            .WithTracing(tracing =>
            {
                // The SDK's spans (TryOn submit / query / wait) nest under the ASP.NET Core request that made them.
                tracing.AddSource(TryOnDiagnostics.ActivitySourceName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (console)
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(TryOnDiagnostics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (console)
                {
                    metrics.AddConsoleExporter();
                }
            })
            .WithLogging(logging =>
            {
                if (console)
                {
                    logging.AddConsoleExporter();
                }
            });

        return builder;
    }
}
