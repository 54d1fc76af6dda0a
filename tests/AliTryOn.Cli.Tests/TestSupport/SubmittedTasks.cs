using System.Text.Json.Nodes;
using AliTryOn.Testing;

namespace AliTryOn.Cli.Tests.TestSupport;

/// <summary>The tasks the emulator received in submit bodies, as sent on the wire (<c>model_image</c>, <c>inferenceMode</c>…).</summary>
public static class SubmittedTasks
{
    public static IReadOnlyList<JsonObject> Of(TryOnEmulator emulator) =>
        [.. emulator.Requests
            .Where(r => r.Operation == TryOnEmulatorOperation.Submit && r.Body is not null)
            .SelectMany(r => Objects(JsonNode.Parse(r.Body!)))
            .Where(o => o.ContainsKey("model_image"))];

    private static IEnumerable<JsonObject> Objects(JsonNode? node) => node switch
    {
        JsonObject o => [o, .. o.SelectMany(p => Objects(p.Value))],
        JsonArray a => a.SelectMany(Objects),
        _ => [],
    };
}
