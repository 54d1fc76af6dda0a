using System.Globalization;
using System.Text.Json;
using AliTryOn.Cli.Output;
using AliTryOn.IO;
using CsvHelper;

namespace AliTryOn.Cli.Runs;

/// <summary>Writes report.json and report.csv.</summary>
internal static class RunReportWriter
{
    /// <summary>
    /// The rows of a run, where the report already at <paramref name="jsonPath"/> had the same row of the same job (by id
    /// and result key) succeeded, with images that are all still in <paramref name="directory"/>, and this run did not
    /// (its links expired since, say): the earlier row is kept.
    /// </summary>
    public static RunReportRow[] KeepSucceeded(RunReportRow[] rows, string jsonPath, string directory)
    {
        RunReport? previous;
        try
        {
            previous = File.Exists(jsonPath) ? JsonSerializer.Deserialize(File.ReadAllText(jsonPath), CliJsonContext.Default.RunReport) : null;
        }
        catch (JsonException)
        {
            return rows; // not a report of this tool: nothing to keep
        }

        var succeeded = (previous?.Rows ?? [])
            .Where(r => r.Status == "succeeded" && r.Files.Count > 0 && r.Files.All(f => File.Exists(Path.Combine(directory, f))))
            .GroupBy(r => r.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return [.. rows.Select(r => r.Status != "succeeded" && r.ResultKey is not null && succeeded.TryGetValue(r.Id, out var earlier) && earlier.ResultKey == r.ResultKey
            ? earlier with { Row = r.Row }
            : r)];
    }

    public static async Task WriteAsync(RunReport report, string jsonPath, string csvPath, CancellationToken cancellationToken)
    {
        await AtomicFile.WriteAsync(jsonPath, JsonSerializer.Serialize(report, CliJsonContext.Default.RunReport), cancellationToken).ConfigureAwait(false);

        // RFC 4180: quoted where a field holds a separator, a quote, a line break or an outer space; lines end in CRLF.
        using var csv = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = new CsvWriter(csv, CultureInfo.InvariantCulture))
        {
            foreach (var field in (string[])["row", "id", "status", "result_key", "task_index", "files", "error"])
            {
                writer.WriteField(field);
            }

            writer.NextRecord();
            foreach (var row in report.Rows)
            {
                writer.WriteField(row.Row.ToString(CultureInfo.InvariantCulture));
                writer.WriteField(row.Id);
                writer.WriteField(row.Status);
                writer.WriteField(row.ResultKey);
                writer.WriteField(row.TaskIndex?.ToString(CultureInfo.InvariantCulture));
                // '|' never appears in a file name the tool makes (ids refuse it); ';' could, and split one name in two.
                writer.WriteField(string.Join('|', row.Files));
                writer.WriteField(row.Error);
                writer.NextRecord();
            }
        }

        await AtomicFile.WriteAsync(csvPath, csv.ToString(), cancellationToken).ConfigureAwait(false);
    }
}
