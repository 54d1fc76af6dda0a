using System.Text.Json.Serialization;
using AliTryOn.Cli.Runs;

namespace AliTryOn.Cli.Output;

/// <summary>
/// Every JSON the tool reads or writes, source-generated (no reflection: the tool is trimmable). Output is camelCase
/// and indented; property order follows the records, so documents are stable for scripts.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(SubmitDocument))]
[JsonSerializable(typeof(JobDocument))]
[JsonSerializable(typeof(DownloadDocument))]
[JsonSerializable(typeof(ErrorDocument))]
[JsonSerializable(typeof(RunReport))]
[JsonSerializable(typeof(CheckDocument))]
[JsonSerializable(typeof(RunState))]
[JsonSerializable(typeof(RunStateChange))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
