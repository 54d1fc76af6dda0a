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
    /// The rows the report already at <paramref name="jsonPath"/> has succeeded, with images that are all still in
    /// <paramref name="directory"/>, by id: a row of this run that does not succeed (its links expired since, say) keeps
    /// the earlier one when it is the same row of the same job (<see cref="Keep"/>).
    /// </summary>
    public static IReadOnlyDictionary<string, RunReportRow> Succeeded(string jsonPath, string directory)
    {
        RunReport? previous;
        try
        {
            previous = File.Exists(jsonPath) ? JsonSerializer.Deserialize(File.ReadAllText(jsonPath), CliJsonContext.Default.RunReport) : null;
        }
        catch (JsonException)
        {
            return new Dictionary<string, RunReportRow>(); // not a report of this tool: nothing to keep
        }

        return (previous?.Rows ?? [])
            .Where(r => r.Status == "succeeded" && r.Files.Count > 0 && r.Files.All(f => File.Exists(Path.Combine(directory, f))))
            .GroupBy(r => r.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>
    /// <paramref name="row"/>, or, when it did not succeed, the row of <paramref name="earlier"/> (<see cref="Succeeded"/>)
    /// with the same id and result key: a re-run never makes the report worse.
    /// </summary>
    /// <remarks>
    /// The task index counts as well as the job: a row named by position (<c>row&lt;N&gt;</c>) that moved keeps its job,
    /// but its id may then be the one another task of that job had in the earlier report.
    /// </remarks>
    public static RunReportRow Keep(RunReportRow row, IReadOnlyDictionary<string, RunReportRow> earlier) =>
        row.Status != "succeeded" && row.ResultKey is not null && earlier.TryGetValue(row.Id, out var kept) && kept.ResultKey == row.ResultKey && kept.TaskIndex == row.TaskIndex
            ? kept with { Row = row.Row }
            : row;

    /// <summary>
    /// The row of <paramref name="earlier"/> (<see cref="Succeeded"/>: its images all there) for a task that succeeded
    /// now in the same job, at the same index, with as many images: a re-run does not fetch them again. <see langword="null"/>
    /// otherwise.
    /// </summary>
    public static RunReportRow? SavedAlready(string id, TryOnBulkOutcome outcome, IReadOnlyDictionary<string, RunReportRow> earlier) =>
        outcome.Status == TryOnBulkStatus.Succeeded
            && outcome.ResultKey is not null
            && earlier.TryGetValue(id, out var kept)
            && kept.ResultKey == outcome.ResultKey
            && kept.TaskIndex == outcome.TaskIndex
            && kept.Files.Count == outcome.ResultUrls.Count
                ? kept
                : null;

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
