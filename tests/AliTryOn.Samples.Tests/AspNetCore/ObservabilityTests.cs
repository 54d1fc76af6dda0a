using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AliTryOn.Samples.Tests.AspNetCore;

/// <summary>The sample's OpenTelemetry wiring: the SDK's spans and metrics reach the app's exporters.</summary>
public sealed class ObservabilityTests
{
    [Fact]
    public async Task The_sdk_submit_span_nests_under_the_apps_request_and_its_metrics_are_exported()
    {
        var activities = new LockedList<Activity>();
        var metrics = new LockedList<Metric>();
        using var factory = new SampleAppFactory(configureServices: services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(activities));
            services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
        });
        using var client = factory.CreateClient();

        using var response = await client.PostAsync(
            "/tryon",
            new StringContent("""{ "tasks": [ { "modelImage": "https://img.example/model.jpg", "upper": { "image": "https://img.example/shirt.jpg" } } ] }""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var resultKey = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("resultKey").GetString();
        Assert.True(factory.Services.GetRequiredService<TracerProvider>().ForceFlush());
        Assert.True(factory.Services.GetRequiredService<MeterProvider>().ForceFlush());

        // Other tests' apps run in parallel and their spans pass the same process-wide listeners: find this one's by key.
        var submit = Assert.Single(activities.Snapshot(), a => a.DisplayName == "TryOn submit" && Equals(a.GetTagItem("alitryon.result_key"), resultKey));
        Assert.Equal(ActivityKind.Client, submit.Kind);
        Assert.Equal(200, submit.GetTagItem("http.response.status_code"));

        // The server's span ends once the response is written, which may be just after the client has read it.
        Assert.True(SpinWait.SpinUntil(() => activities.Snapshot().Any(a => a.SpanId == submit.ParentSpanId), TimeSpan.FromSeconds(30)));
        var request = Assert.Single(activities.Snapshot(), a => a.SpanId == submit.ParentSpanId);
        Assert.Equal(ActivityKind.Server, request.Kind);
        Assert.Equal("POST", request.GetTagItem("http.request.method"));

        // The periodic reader may export as well as the flush: every export of the instrument counts.
        var durations = metrics.Snapshot().Where(m => m.Name == "alitryon.client.operation.duration").ToArray();
        Assert.NotEmpty(durations);
        var submits = new List<string>();
        foreach (var duration in durations)
        {
            Assert.Equal("s", duration.Unit);
            foreach (ref readonly var point in duration.GetMetricPoints())
            {
                var tags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags)
                {
                    tags[tag.Key] = tag.Value;
                }

                submits.Add($"{tags["alitryon.operation"]} {tags["alitryon.outcome"]} {point.GetHistogramCount()}");
            }
        }

        Assert.Contains(submits, s => s.StartsWith("submit success ", StringComparison.Ordinal));
    }

    /// <summary>A collection the exporters add to from their threads while the test reads it.</summary>
    private sealed class LockedList<T> : System.Collections.ObjectModel.Collection<T>
    {
        public T[] Snapshot()
        {
            lock (Items)
            {
                return [.. Items];
            }
        }

        protected override void InsertItem(int index, T item)
        {
            lock (Items)
            {
                base.InsertItem(index, item);
            }
        }
    }
}
