using AliTryOn.Benchmarks.Wire;

namespace AliTryOn.Benchmarks.Support;

/// <summary>
/// Checks, before anything is measured, that every contender sends the raw call's request and reads the whole canned
/// answer (result key, request id, every task's status and result URLs): no contender does less work than another.
/// </summary>
internal static class AnswerCheck
{
    /// <summary>What the submit answer says.</summary>
    public static readonly ContenderAnswer SubmitAnswer = new(BenchmarkData.ResultKey, BenchmarkData.RequestId, "WAITING", 0);

    /// <summary>What the query answer says.</summary>
    public static readonly ContenderAnswer QueryAnswer = new(BenchmarkData.ResultKey, BenchmarkData.RequestId, "SUCCESS", 4);

    public static ContenderAnswer Read(RawResponse response) => new(
        response.Data!.ResultKey!,
        response.RequestId,
        string.Join(",", response.Data.TaskList!.Select(t => t.Status)),
        response.Data.TaskList!.Sum(t => t.Results?.Length ?? 0));

    public static ContenderAnswer Read(TryOnJob job) => new(
        job.ResultKey,
        job.RequestId,
        string.Join(",", job.Tasks.Select(t => t.Status.Value)),
        job.ResultUrls.Count);

    /// <summary>Calls each contender once; each must send exactly the first one's request and read <paramref name="expected"/>.</summary>
    public static async Task Run(string operation, IEnumerable<(string Name, Func<Task<ContenderAnswer>> Call)> contenders, ContenderAnswer expected, List<SentRequest> recorded)
    {
        SentRequest? reference = null;
        foreach (var (name, call) in contenders)
        {
            recorded.Clear();
            var answer = await call();
            if (answer != expected)
            {
                throw new InvalidOperationException($"{operation}: {name} read {answer}, not {expected}.");
            }

            if (recorded.Count != 1)
            {
                throw new InvalidOperationException($"{operation}: {name} sent {recorded.Count} requests, not one.");
            }

            reference ??= recorded[0];
            if (recorded[0] != reference)
            {
                throw new InvalidOperationException($"{operation}: {name} sent\n{recorded[0]}\nwhere the raw call sent\n{reference}");
            }
        }
    }
}
