using System.Net.Http.Json;
using System.Text.Json;
using AliTryOn.Benchmarks.Contenders;
using AliTryOn.Benchmarks.Support;
using AliTryOn.Benchmarks.Wire;
using AliTryOn.Http;
using AliTryOn.Serialization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;
using Polly;

namespace AliTryOn.Benchmarks;

/// <summary>
/// Diagnostics, not budgets: where the default pipeline's extra time and allocations go, piece by piece and by
/// taking layers away. Run with <c>--breakdown</c>.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class CostBreakdownBenchmarks
{
    private const string NonceCategory = "Nonce";
    private const string SerializeCategory = "Serialize submit body";
    private const string DeserializeCategory = "Deserialize query body";
    private const string ReadCategory = "Read query response";
    private const string PipelineCategory = "Pipeline pieces";
    private const string AblationCategory = "Query, layers removed";
    private const string AsyncCategory = "Query, async transport";

    private readonly CannedTryOnHandler _handler = new();
    private readonly NonceGenerator _nonces = new();
    private readonly Uri _queryUri = new(BenchmarkData.Endpoint + BenchmarkData.QueryPath);
    private readonly HttpRequestMessage _queryRequest = new(HttpMethod.Post, BenchmarkData.Endpoint + BenchmarkData.QueryPath);
    private HttpClient _rawHttp = null!;
    private RawTryOnClient _raw = null!;
    private TunedTryOnClient _tuned = null!;
    private TryOnClient _clientRetryOnly = null!;
    private TryOnClient _clientTimeLimitsOnly = null!;
    private TryOnClient _clientOneTimeLimit = null!;
    private RawTryOnClient _rawAsync = null!;
    private TryOnClient _client = null!;
    private TryOnClient _clientAsync = null!;
    private TryOnClient _clientNoResilience = null!;
    private TryOnClient _clientNoStrategies = null!;
    private ServiceProvider _services = null!;
    private TimedPipeline _pipeline = null!;
    private TimedPipeline _pipelineOneTimeout = null!;
    private TimedPipeline _pipelineEmpty = null!;
    private TimedPipeline _pipelineLimitsOnly = null!;
    private TimedPipeline _pipelineRetryOnly = null!;
    private ResiliencePipeline<HttpResponseMessage> _pollyTimeout = null!;
    private readonly CancellationTokenSource _timed = new();
    private HttpResponseMessage _okResponse = null!;
    private RawSubmitRequest _rawSubmitBody = null!;
    private WireRequest _sdkSubmitBody = null!;
    private string[] _resultUrls = null!;

    [GlobalSetup]
    public void Setup()
    {
        _rawHttp = new HttpClient(_handler, disposeHandler: false);
        _raw = new RawTryOnClient(_rawHttp, BenchmarkData.AppCode);
        _tuned = new TunedTryOnClient(new HttpClient(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan }, BenchmarkData.AppCode);
        _rawAsync = new RawTryOnClient(new HttpClient(new CannedTryOnHandler(asynchronous: true)), BenchmarkData.AppCode);

        _client = new TryOnClient(BenchmarkData.Options(), transport: _handler);
        _clientAsync = new TryOnClient(BenchmarkData.Options(), transport: new CannedTryOnHandler(asynchronous: true));
        var options = BenchmarkData.Options();
        _clientNoResilience = new TryOnClient(new HttpClient(new TryOnAuthenticationHandler(options) { InnerHandler = _handler }), options);
        // The resilience handler and response inspection stay; Polly gets no strategy to run.
        _clientNoStrategies = new TryOnClient(
            BenchmarkData.Options(o =>
            {
                o.Retry.MaxRetries = 0;
                o.AttemptTimeout = Timeout.InfiniteTimeSpan;
                o.TotalTimeout = Timeout.InfiniteTimeSpan;
            }),
            transport: _handler);
        _clientRetryOnly = new TryOnClient(
            BenchmarkData.Options(o =>
            {
                o.AttemptTimeout = Timeout.InfiniteTimeSpan;
                o.TotalTimeout = Timeout.InfiniteTimeSpan;
            }),
            transport: _handler);
        _clientTimeLimitsOnly = new TryOnClient(BenchmarkData.Options(o => o.Retry.MaxRetries = 0), transport: _handler);
        // What one time limit instead of two would cost: the total timeout's token source and timer gone.
        _clientOneTimeLimit = new TryOnClient(BenchmarkData.Options(o => o.TotalTimeout = Timeout.InfiniteTimeSpan), transport: _handler);

        _services = BenchmarkData.Services(_handler);
        _ = _services.GetRequiredService<TryOnClient>();

        _pipeline = TryOnResiliencePipeline.Create(BenchmarkData.Options(), TimeProvider.System, rateLimiter: null);
        _pipelineOneTimeout = TryOnResiliencePipeline.Create(
            BenchmarkData.Options(o =>
            {
                o.Retry.MaxRetries = 0;
                o.TotalTimeout = Timeout.InfiniteTimeSpan;
            }),
            TimeProvider.System,
            rateLimiter: null);
        _pipelineEmpty = TryOnResiliencePipeline.Create(
            BenchmarkData.Options(o =>
            {
                o.Retry.MaxRetries = 0;
                o.AttemptTimeout = Timeout.InfiniteTimeSpan;
                o.TotalTimeout = Timeout.InfiniteTimeSpan;
            }),
            TimeProvider.System,
            rateLimiter: null);
        _pipelineLimitsOnly = TryOnResiliencePipeline.Create(BenchmarkData.Options(o => o.Retry.MaxRetries = 0), TimeProvider.System, rateLimiter: null);
        _pipelineRetryOnly = TryOnResiliencePipeline.Create(
            BenchmarkData.Options(o =>
            {
                o.AttemptTimeout = Timeout.InfiniteTimeSpan;
                o.TotalTimeout = Timeout.InfiniteTimeSpan;
            }),
            TimeProvider.System,
            rateLimiter: null);
        // Polly's own timeout strategy, as the attempt limit was kept before issue 15's fourth stop.
        _pollyTimeout = new ResiliencePipelineBuilder<HttpResponseMessage>().AddTimeout(TimeSpan.FromSeconds(30)).Build();
        _okResponse = CannedTryOnHandler.CreateResponse(BenchmarkData.QueryResponse, _queryRequest);
        _resultUrls = BenchmarkData.ResultUrls();
        _rawSubmitBody = new RawSubmitRequest(new RawSubmitData([new RawTaskInput(BenchmarkData.ModelImage, new RawGarment(0, BenchmarkData.UpperImage), 0)]));
        var rawJson = JsonSerializer.Serialize(_rawSubmitBody, RawJsonContext.Default.RawSubmitRequest);
        _sdkSubmitBody = new WireRequest
        {
            Data = new WireRequestData
            {
                TaskList = [new WireTaskInput { ModelImage = BenchmarkData.ModelImage, UpperImage = new WireGarmentInput { Type = 0, Url = BenchmarkData.UpperImage } }],
            },
        };
        if (JsonSerializer.Serialize(_sdkSubmitBody, TryOnJsonContext.Default.WireRequest) != rawJson)
        {
            throw new InvalidOperationException("The raw call no longer sends the SDK's submit body byte for byte.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        _rawHttp.Dispose();
        _okResponse.Dispose();
        _timed.Dispose();
        _queryRequest.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Raw: one generator call per nonce")]
    [BenchmarkCategory(NonceCategory)]
    public string Nonce_Raw() => RawTryOnClient.CreateNonce();

    [Benchmark(Description = "SDK: Nonce.Create, one generator call per nonce")]
    [BenchmarkCategory(NonceCategory)]
    public string Nonce_SdkUnbatched() => Nonce.Create();

    [Benchmark(Description = "SDK: NonceGenerator.Create, 64 nonces per generator call")]
    [BenchmarkCategory(NonceCategory)]
    public string Nonce_Sdk() => _nonces.Create();

    [Benchmark(Baseline = true, Description = "Raw DTO")]
    [BenchmarkCategory(SerializeCategory)]
    public byte[] Serialize_Raw() => JsonSerializer.SerializeToUtf8Bytes(_rawSubmitBody, RawJsonContext.Default.RawSubmitRequest);

    [Benchmark(Description = "SDK WireRequest")]
    [BenchmarkCategory(SerializeCategory)]
    public byte[] Serialize_Sdk() => JsonSerializer.SerializeToUtf8Bytes(_sdkSubmitBody, TryOnJsonContext.Default.WireRequest);

    [Benchmark(Baseline = true, Description = "Raw DTO")]
    [BenchmarkCategory(DeserializeCategory)]
    public object? Deserialize_Raw() => JsonSerializer.Deserialize(BenchmarkData.QueryResponse, RawJsonContext.Default.RawResponse);

    [Benchmark(Description = "SDK WireEnvelope (lenient converters)")]
    [BenchmarkCategory(DeserializeCategory)]
    public object? Deserialize_Sdk() => JsonSerializer.Deserialize(BenchmarkData.QueryResponse, TryOnJsonContext.Default.WireEnvelope);

    [Benchmark(Description = "SDK Map: envelope + records + Uris")]
    [BenchmarkCategory(DeserializeCategory)]
    public TryOnJob Deserialize_SdkMap() => TryOnResponseMapper.Map(_okResponse, BenchmarkData.QueryResponse, TimeProvider.System).JobOrThrow();

    [Benchmark(Description = "4 result URLs: Trim + Uri.TryCreate (each link parsed when read)")]
    [BenchmarkCategory(DeserializeCategory)]
    public int Deserialize_ResultUris()
    {
        // The result URLs of the canned answer, parsed as the mapper parsed them before the quick check.
        var count = 0;
        foreach (var url in _resultUrls)
        {
            count += Uri.TryCreate(url.Trim(), UriKind.Absolute, out _) ? 1 : 0;
        }

        return count;
    }

    [Benchmark(Description = "4 result URLs: Trim + PlainHttpUrl.IsPlain (each Uri made when first used)")]
    [BenchmarkCategory(DeserializeCategory)]
    public int Deserialize_ResultLinksChecked()
    {
        // As the mapper checks them now: a link the quick check passes becomes a Uri only when it is read.
        var count = 0;
        foreach (var url in _resultUrls)
        {
            count += PlainHttpUrl.IsPlain(url.Trim()) ? 1 : 0;
        }

        return count;
    }

    [Benchmark(Baseline = true, Description = "Raw: ReadFromJsonAsync")]
    [BenchmarkCategory(ReadCategory)]
    public async Task<object?> Read_Raw()
    {
        using var response = CannedTryOnHandler.CreateResponse(BenchmarkData.QueryResponse, _queryRequest);
        return await response.Content.ReadFromJsonAsync(RawJsonContext.Default.RawResponse);
    }

    [Benchmark(Description = "Fresh response only (floor)")]
    [BenchmarkCategory(ReadCategory)]
    public long Read_Floor()
    {
        using var response = CannedTryOnHandler.CreateResponse(BenchmarkData.QueryResponse, _queryRequest);
        return response.Content.Headers.ContentLength ?? 0;
    }


    [Benchmark(Description = "Raw-tuned: pooled buffer, deserialized from it")]
    [BenchmarkCategory(ReadCategory)]
    public async Task<object?> Read_Tuned()
    {
        using var response = CannedTryOnHandler.CreateResponse(BenchmarkData.QueryResponse, _queryRequest);
        return await TunedTryOnClient.ReadAsync(response.Content, CancellationToken.None);
    }

    [Benchmark(Description = "SDK: ReadJobAsync only")]
    [BenchmarkCategory(ReadCategory)]
    public async Task<TryOnJob> Read_ReadJob()
    {
        using var response = CannedTryOnHandler.CreateResponse(BenchmarkData.QueryResponse, _queryRequest);
        return await TryOnResponseMapper.ReadJobAsync(response, TimeProvider.System, CancellationToken.None);
    }

    [Benchmark(Description = "SDK: AnswerAsync (resilience handler), then ReadJobAsync (client)")]
    [BenchmarkCategory(ReadCategory)]
    public async Task<TryOnJob> Read_AnswerThenReadJob()
    {
        using var response = CannedTryOnHandler.CreateResponse(BenchmarkData.QueryResponse, _queryRequest);
        await TryOnResponseMapper.AnswerAsync(response, TimeProvider.System, CancellationToken.None);
        return await TryOnResponseMapper.ReadJobAsync(response, TimeProvider.System, CancellationToken.None);
    }

    [Benchmark(Baseline = true, Description = "HttpClient.SendAsync over the canned handler")]
    [BenchmarkCategory(PipelineCategory)]
    public async Task<int> Pipeline_TransportFloor()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _queryUri);
        using var response = await _rawHttp.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return (int)response.StatusCode;
    }

    [Benchmark(Description = "SDK pipeline (total limit, Polly's retry, attempt limit), trivial callback")]
    [BenchmarkCategory(PipelineCategory)]
    public Task<HttpResponseMessage> Pipeline_Polly() => ExecuteAsync(_pipeline);

    [Benchmark(Description = "SDK pipeline with the attempt limit only, trivial callback")]
    [BenchmarkCategory(PipelineCategory)]
    public Task<HttpResponseMessage> Pipeline_PollyOneTimeout() => ExecuteAsync(_pipelineOneTimeout);

    [Benchmark(Description = "SDK pipeline with no limit and no Polly strategy, trivial callback")]
    [BenchmarkCategory(PipelineCategory)]
    public Task<HttpResponseMessage> Pipeline_PollyEmpty() => ExecuteAsync(_pipelineEmpty);

    [Benchmark(Description = "SDK pipeline with both limits and no retry, trivial callback")]
    [BenchmarkCategory(PipelineCategory)]
    public Task<HttpResponseMessage> Pipeline_LimitsOnly() => ExecuteAsync(_pipelineLimitsOnly);

    [Benchmark(Description = "SDK pipeline with Polly's retry and no limit, trivial callback")]
    [BenchmarkCategory(PipelineCategory)]
    public Task<HttpResponseMessage> Pipeline_RetryOnly() => ExecuteAsync(_pipelineRetryOnly);

    [Benchmark(Description = "Polly's timeout strategy alone (how a limit was kept before), trivial callback")]
    [BenchmarkCategory(PipelineCategory)]
    public async Task<HttpResponseMessage> Pipeline_PollyTimeoutStrategy()
    {
        var context = ResilienceContextPool.Shared.Get(CancellationToken.None);
        try
        {
            var outcome = await _pollyTimeout.ExecuteOutcomeAsync(
                static (_, response) => ValueTask.FromResult(Outcome.FromResult(response)),
                context,
                _okResponse);
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    [Benchmark(Description = "A time limit alone: started (30 s) and disposed")]
    [BenchmarkCategory(PipelineCategory)]
    public bool Pipeline_TimeLimit()
    {
        using var limit = TimeLimit.Start(TimeSpan.FromSeconds(30), CancellationToken.None, TimeProvider.System)!;
        return limit.Token.IsCancellationRequested;
    }

    [Benchmark(Description = "A time limit's timer alone: CancelAfter(30 s) and TryReset on one token source")]
    [BenchmarkCategory(PipelineCategory)]
    public bool Pipeline_TimerSetAndReset()
    {
        _timed.CancelAfter(TimeSpan.FromSeconds(30));
        return _timed.TryReset();
    }

    [Benchmark(Description = "DI: resolve a transient TryOnClient")]
    [BenchmarkCategory(PipelineCategory)]
    public TryOnClient Pipeline_ResolveDi() => _services.GetRequiredService<TryOnClient>();

    [Benchmark(Baseline = true, Description = "Raw-tuned")]
    [BenchmarkCategory(AblationCategory)]
    public async Task<string> Ablation_Tuned() => (await _tuned.QueryAsync(BenchmarkData.ResultKey)).Data!.ResultKey!;

    [Benchmark(Description = "Raw")]
    [BenchmarkCategory(AblationCategory)]
    public async Task<string> Ablation_Raw() => (await _raw.QueryAsync(BenchmarkData.ResultKey)).Data!.ResultKey!;

    [Benchmark(Description = "SDK, authentication only (no resilience handler)")]
    [BenchmarkCategory(AblationCategory)]
    public async Task<string> Ablation_NoResilience() => (await _clientNoResilience.QueryAsync(BenchmarkData.ResultKey)).ResultKey;

    [Benchmark(Description = "SDK, resilience handler with no strategies")]
    [BenchmarkCategory(AblationCategory)]
    public async Task<string> Ablation_NoStrategies() => (await _clientNoStrategies.QueryAsync(BenchmarkData.ResultKey)).ResultKey;

    [Benchmark(Description = "SDK, retry only (no time limits)")]
    [BenchmarkCategory(AblationCategory)]
    public async Task<string> Ablation_RetryOnly() => (await _clientRetryOnly.QueryAsync(BenchmarkData.ResultKey)).ResultKey;

    [Benchmark(Description = "SDK, time limits only (no retries)")]
    [BenchmarkCategory(AblationCategory)]
    public async Task<string> Ablation_TimeLimitsOnly() => (await _clientTimeLimitsOnly.QueryAsync(BenchmarkData.ResultKey)).ResultKey;

    [Benchmark(Description = "SDK, retry and attempt timeout (no total timeout)")]
    [BenchmarkCategory(AblationCategory)]
    public async Task<string> Ablation_OneTimeLimit() => (await _clientOneTimeLimit.QueryAsync(BenchmarkData.ResultKey)).ResultKey;

    [Benchmark(Description = "SDK, default pipeline")]
    [BenchmarkCategory(AblationCategory)]
    public async Task<string> Ablation_Default() => (await _client.QueryAsync(BenchmarkData.ResultKey)).ResultKey;

    [Benchmark(Baseline = true, Description = "Raw")]
    [BenchmarkCategory(AsyncCategory)]
    public async Task<string> Async_Raw() => (await _rawAsync.QueryAsync(BenchmarkData.ResultKey)).Data!.ResultKey!;

    [Benchmark(Description = "SDK, default pipeline")]
    [BenchmarkCategory(AsyncCategory)]
    public async Task<string> Async_Default() => (await _clientAsync.QueryAsync(BenchmarkData.ResultKey)).ResultKey;

    /// <summary>What the resilience handler does around each call, minus the HTTP inside.</summary>
    private Task<HttpResponseMessage> ExecuteAsync(TimedPipeline pipeline) =>
        pipeline.ExecuteAsync(_queryRequest, static (_, response, _) => ValueTask.FromResult(response), _okResponse, CancellationToken.None);
}
