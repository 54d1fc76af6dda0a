using System.Globalization;
using System.Text;
using System.Text.Json;
using AliTryOn.Cli.Manifest;
using AliTryOn.Cli.Output;
using AliTryOn.IO;

namespace AliTryOn.Cli.Runs;

/// <summary>Writes report.json and report.csv.</summary>
internal static class RunReportWriter
{
    public static async Task WriteAsync(RunReport report, string jsonPath, string csvPath, CancellationToken cancellationToken)
    {
        await AtomicFile.WriteAsync(jsonPath, JsonSerializer.Serialize(report, CliJsonContext.Default.RunReport), cancellationToken).ConfigureAwait(false);

        var csv = new StringBuilder("row,id,status,result_key,task_index,files,error\n");
        foreach (var row in report.Rows)
        {
            csv.Append(row.Row.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(CsvLine.Escape(row.Id)).Append(',')
                .Append(row.Status).Append(',')
                .Append(CsvLine.Escape(row.ResultKey)).Append(',')
                .Append(row.TaskIndex?.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(CsvLine.Escape(string.Join(';', row.Files))).Append(',')
                .Append(CsvLine.Escape(row.Error)).Append('\n');
        }

        await AtomicFile.WriteAsync(csvPath, csv.ToString(), cancellationToken).ConfigureAwait(false);
    }
}
