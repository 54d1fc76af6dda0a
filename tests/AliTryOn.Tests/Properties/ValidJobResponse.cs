using System.Globalization;
using System.Text;

namespace AliTryOn.Tests.Properties;

/// <summary>A well-formed job response, described by what a parse must keep, and its JSON as the service sends it.</summary>
/// <param name="Status">The HTTP status, always 2xx.</param>
/// <param name="ResultKey">The job's key, from a JSON-safe alphabet so it needs no escaping.</param>
/// <param name="Tasks">Each task's status and how many result URLs it carries.</param>
/// <param name="CodeAsString">Whether <c>code</c> is sent as <c>"0"</c> rather than <c>0</c>.</param>
internal sealed record ValidJobResponse(int Status, string ResultKey, IReadOnlyList<(string Status, int Results)> Tasks, bool CodeAsString)
{
    public byte[] ToBody()
    {
        var json = new StringBuilder();
        json.Append("{\"code\":").Append(CodeAsString ? "\"0\"" : "0");
        json.Append(",\"data\":{\"result_key\":\"").Append(ResultKey).Append("\",\"task_list\":[");
        for (var i = 0; i < Tasks.Count; i++)
        {
            var (status, results) = Tasks[i];
            json.Append(i == 0 ? "" : ",").Append("{\"status\":\"").Append(status).Append("\",\"results\":[");
            json.Append(string.Join(",", Enumerable.Range(0, results).Select(r => $"\"{Url(i, r)}\"")));
            json.Append("]}");
        }

        json.Append("]},\"message\":\"success\",\"requestId\":\"r\",\"severity\":\"info\",\"success\":true}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    /// <summary>Smaller responses for FsCheck to try after a failure: fewer tasks, fewer URLs, a shorter key, code as a number.</summary>
    public IEnumerable<ValidJobResponse> Shrink()
    {
        if (Status != 200)
        {
            yield return this with { Status = 200 };
        }

        if (CodeAsString)
        {
            yield return this with { CodeAsString = false };
        }

        for (var i = 0; i < Tasks.Count; i++)
        {
            yield return this with { Tasks = [.. Tasks.Take(i), .. Tasks.Skip(i + 1)] };
        }

        for (var i = 0; i < Tasks.Count; i++)
        {
            if (Tasks[i].Results > 0)
            {
                yield return this with { Tasks = [.. Tasks.Take(i), (Tasks[i].Status, Tasks[i].Results - 1), .. Tasks.Skip(i + 1)] };
            }
        }

        if (ResultKey.Length > 1)
        {
            yield return this with { ResultKey = ResultKey[..(ResultKey.Length / 2)] };
        }
    }

    public static string Url(int task, int result) =>
        string.Create(CultureInfo.InvariantCulture, $"https://r.test/{task}/{result}.png");

    public override string ToString() =>
        $"HTTP {Status} {ResponseCase.Escape(ToBody())}";
}
