using AliTryOn.Cli.Runs;
using AliTryOn.Cli.Tests.TestSupport;

namespace AliTryOn.Cli.Tests.Runs;

public sealed class RunReportWriterTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task The_csv_report_quotes_what_needs_it_as_RFC_4180_says_and_leaves_the_rest_bare()
    {
        RunReportRow[] rows =
        [
            new(1, "a,b;c", "succeeded", "rk-1", 0, ["a,b;c-0.png", "a,b;c-1.png"], null),
            new(2, " c", "failed", "rk-1", 1, [], "Task failed: \"bad pose\", try another\nphoto"),
            new(3, "d", "unknown", null, null, [], "x\ry"),
        ];
        var json = _folder.File("report.json");
        var csv = _folder.File("report.csv");

        await RunReportWriter.WriteAsync(new RunReport("m.csv", _folder.Path, 3, 1, 1, 1, 1, 0, rows), json, csv, CancellationToken.None);

        Assert.Equal(
            "row,id,status,result_key,task_index,files,error\r\n"
            + "1,\"a,b;c\",succeeded,rk-1,0,\"a,b;c-0.png|a,b;c-1.png\",\r\n"
            + "2,\" c\",failed,rk-1,1,,\"Task failed: \"\"bad pose\"\", try another\nphoto\"\r\n"
            + "3,d,unknown,,,,\"x\ry\"\r\n",
            await File.ReadAllTextAsync(csv));
    }
}
