using AliTryOn.Benchmarks.Contenders;
using AliTryOn.Benchmarks.Support;
using AliTryOn.Benchmarks.Wire;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace AliTryOn.Benchmarks;

/// <summary>
/// The budgeted comparison: one submit and one query per operation, through the raw call (the baseline), the same
/// call tuned by hand (the true limit), the SDK's default pipeline built directly and through dependency injection,
/// and a Refit client, all on one canned handler.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class ClientBenchmarks
{
    public const string Submit = "Submit";
    public const string Query = "Query";

    private readonly CannedTryOnHandler _handler = new();
    private readonly TryOnTask _task = BenchmarkData.Task();
    private HttpClient _rawHttp = null!;
    private RawTryOnClient _raw = null!;
    private HttpClient _tunedHttp = null!;
    private TunedTryOnClient _tuned = null!;
    private TryOnClient _client = null!;
    private ServiceProvider _services = null!;
    private TryOnClient _diClient = null!;
    private ITryOnRefitApi _refit = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _rawHttp = new HttpClient(_handler, disposeHandler: false);
        _raw = new RawTryOnClient(_rawHttp, BenchmarkData.AppCode);
        _tunedHttp = new HttpClient(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        _tuned = new TunedTryOnClient(_tunedHttp, BenchmarkData.AppCode);

        // The default pipeline: resilience (timeouts, retry), authentication, no logger factory.
        _client = new TryOnClient(BenchmarkData.Options(), transport: _handler);

        _services = BenchmarkData.Services(_handler);
        // Resolved once: the per-call cost of the registered pipeline (its logging handler included, with no logger
        // listening), not of resolving a transient client.
        _diClient = _services.GetRequiredService<TryOnClient>();

        var refitHttp = new HttpClient(new RefitAuthenticationHandler(BenchmarkData.AppCode) { InnerHandler = _handler })
        {
            BaseAddress = new Uri(BenchmarkData.Endpoint),
        };
        // The context's options resolve metadata from the source-generated context only.
        _refit = RestService.For<ITryOnRefitApi>(
            refitHttp,
            new RefitSettings(new SystemTextJsonContentSerializer(RawJsonContext.Default.Options)));

        await CheckContendersAsync();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        _rawHttp.Dispose();
        _tunedHttp.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Raw")]
    [BenchmarkCategory(Submit)]
    public async Task<string> Raw_Submit() =>
        (await _raw.SubmitAsync(BenchmarkData.ModelImage, BenchmarkData.UpperImage)).Data!.ResultKey!;

    [Benchmark(Description = "Raw-tuned")]
    [BenchmarkCategory(Submit)]
    public async Task<string> RawTuned_Submit() =>
        (await _tuned.SubmitAsync(BenchmarkData.ModelImage, BenchmarkData.UpperImage)).Data!.ResultKey!;

    [Benchmark(Description = "AliTryOn")]
    [BenchmarkCategory(Submit)]
    public async Task<string> AliTryOn_Submit() => (await _client.SubmitAsync(_task)).ResultKey;

    [Benchmark(Description = "AliTryOn-DI")]
    [BenchmarkCategory(Submit)]
    public async Task<string> AliTryOnDi_Submit() => (await _diClient.SubmitAsync(_task)).ResultKey;

    [Benchmark(Description = "Refit")]
    [BenchmarkCategory(Submit)]
    public async Task<string> Refit_Submit() => (await RefitSubmitAsync()).Data!.ResultKey!;

    [Benchmark(Baseline = true, Description = "Raw")]
    [BenchmarkCategory(Query)]
    public async Task<string> Raw_Query() => (await _raw.QueryAsync(BenchmarkData.ResultKey)).Data!.ResultKey!;

    [Benchmark(Description = "Raw-tuned")]
    [BenchmarkCategory(Query)]
    public async Task<string> RawTuned_Query() => (await _tuned.QueryAsync(BenchmarkData.ResultKey)).Data!.ResultKey!;

    [Benchmark(Description = "AliTryOn")]
    [BenchmarkCategory(Query)]
    public async Task<string> AliTryOn_Query() => (await _client.QueryAsync(BenchmarkData.ResultKey)).ResultKey;

    [Benchmark(Description = "AliTryOn-DI")]
    [BenchmarkCategory(Query)]
    public async Task<string> AliTryOnDi_Query() => (await _diClient.QueryAsync(BenchmarkData.ResultKey)).ResultKey;

    [Benchmark(Description = "Refit")]
    [BenchmarkCategory(Query)]
    public async Task<string> Refit_Query() => (await RefitQueryAsync()).Data!.ResultKey!;

    /// <summary>Refit's calls, with the same success check the raw call makes (Refit throws on a non-success status).</summary>
    private async Task<RawResponse> RefitSubmitAsync()
    {
        var body = new RawSubmitRequest(new RawSubmitData([new RawTaskInput(BenchmarkData.ModelImage, new RawGarment(0, BenchmarkData.UpperImage), 0)]));
        return RawTryOnClient.EnsureSuccess(await _refit.SubmitAsync(body));
    }

    private async Task<RawResponse> RefitQueryAsync() =>
        RawTryOnClient.EnsureSuccess(await _refit.QueryAsync(new RawQueryRequest(new RawQueryData(BenchmarkData.ResultKey))));

    /// <summary>
    /// The comparison is void unless every contender sends the same request and reads the whole answer: checked once,
    /// before measuring, through the same clients the benchmarks use.
    /// </summary>
    private async Task CheckContendersAsync()
    {
        _handler.Recorded = [];
        try
        {
            var submits = new (string Name, Func<Task<ContenderAnswer>> Call)[]
            {
                ("Raw", async () => AnswerCheck.Read(await _raw.SubmitAsync(BenchmarkData.ModelImage, BenchmarkData.UpperImage))),
                ("Raw-tuned", async () => AnswerCheck.Read(await _tuned.SubmitAsync(BenchmarkData.ModelImage, BenchmarkData.UpperImage))),
                ("AliTryOn", async () => AnswerCheck.Read(await _client.SubmitAsync(_task))),
                ("AliTryOn-DI", async () => AnswerCheck.Read(await _diClient.SubmitAsync(_task))),
                ("Refit", async () => AnswerCheck.Read(await RefitSubmitAsync())),
            };
            var queries = new (string Name, Func<Task<ContenderAnswer>> Call)[]
            {
                ("Raw", async () => AnswerCheck.Read(await _raw.QueryAsync(BenchmarkData.ResultKey))),
                ("Raw-tuned", async () => AnswerCheck.Read(await _tuned.QueryAsync(BenchmarkData.ResultKey))),
                ("AliTryOn", async () => AnswerCheck.Read(await _client.QueryAsync(BenchmarkData.ResultKey))),
                ("AliTryOn-DI", async () => AnswerCheck.Read(await _diClient.QueryAsync(BenchmarkData.ResultKey))),
                ("Refit", async () => AnswerCheck.Read(await RefitQueryAsync())),
            };
            await AnswerCheck.Run(Submit, submits, AnswerCheck.SubmitAnswer, _handler.Recorded);
            await AnswerCheck.Run(Query, queries, AnswerCheck.QueryAnswer, _handler.Recorded);
        }
        finally
        {
            _handler.Recorded = null;
        }
    }
}
