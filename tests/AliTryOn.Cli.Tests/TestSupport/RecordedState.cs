using System.Text.Json.Nodes;

namespace AliTryOn.Cli.Tests.TestSupport;

/// <summary>
/// What a state file records, read as its README describes it: the batches of the state file, with the changes of
/// its journal (<c>&lt;state file&gt;.journal</c>, one a line) applied in order. A run that ended folds its journal in;
/// one killed outright leaves it.
/// </summary>
internal static class RecordedState
{
    public static JsonArray Batches(string statePath)
    {
        var batches = File.Exists(statePath) ? JsonNode.Parse(File.ReadAllText(statePath))!["batches"]!.AsArray().Select(b => b!.DeepClone()).ToList() : [];
        var journal = statePath + ".journal";
        foreach (var line in File.Exists(journal) ? File.ReadAllLines(journal) : [])
        {
            JsonNode? change;
            try
            {
                change = string.IsNullOrWhiteSpace(line) ? null : JsonNode.Parse(line);
            }
            catch (System.Text.Json.JsonException)
            {
                continue; // an append that never finished
            }

            if (change is null)
            {
                continue;
            }

            var batch = change["batch"];
            var rows = change["rows"] ?? batch?["rows"];
            var at = batches.FindIndex(b => JsonNode.DeepEquals(b["rows"], rows));
            if (batch is null)
            {
                if (at >= 0)
                {
                    batches.RemoveAt(at);
                }
            }
            else if (at >= 0)
            {
                batches[at] = batch.DeepClone();
            }
            else
            {
                batches.Add(batch.DeepClone());
            }
        }

        return new JsonArray([.. batches]);
    }
}
