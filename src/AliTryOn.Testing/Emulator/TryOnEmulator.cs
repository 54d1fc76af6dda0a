using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.Testing.Http;
using AliTryOn.Testing.Images;
using AliTryOn.Testing.Wire;

namespace AliTryOn.Testing;

/// <summary>
/// A local emulator of the virtual try-on API v2 and the API gateway in front of it: the same paths, headers,
/// checks, error codes and job lifecycle, with scriptable faults, and result images it serves itself.
/// </summary>
/// <remarks>
/// <para>
/// Use it in memory (<see cref="CreateClient"/>, <see cref="CreateHandler"/>), or over HTTP with
/// <c>app.MapTryOnEmulator()</c>. Jobs run on <see cref="TryOnEmulatorOptions.TimeProvider"/>, so a fake clock
/// fast-forwards them. Every request is recorded in <see cref="Requests"/>. Thread-safe.
/// </para>
/// <para>
/// What it enforces: the two paths and POST only (else the gateway's <c>API Not Found</c>);
/// <c>Authorization: APPCODE &lt;code&gt;</c> with a configured AppCode (else 401, code 23500001), or, for a request
/// that carries <c>X-Ca-Key</c> or <c>X-Ca-Signature</c>, the gateway's AppKey/AppSecret signature with a configured
/// pair, checked by rebuilding the server's StringToSign (else 400 <c>Invalid AppKey</c>, 401 <c>Empty Signature</c>,
/// 400 <c>Invalid Timestamp</c> or <c>Timestamp Expired</c> (outside <see cref="TryOnEmulatorOptions.NonceWindow"/>),
/// 400 <c>Invalid Content-MD5</c>, or 400 <c>Invalid Signature, Server StringToSign:`…`</c> with line breaks shown as
/// <c>#</c>, all in <c>X-Ca-Error-Message</c>); an
/// <c>X-Ca-Nonce</c>, used once within <see cref="TryOnEmulatorOptions.NonceWindow"/> (else 400 with
/// <c>X-Ca-Error-Message: Nonce Used</c>); <c>Content-Type: application/json</c>; every body rule of the document
/// (23500012 missing body, 23500009 empty required field, 23500013 illegal value or more than 10 tasks,
/// 23500006 a URL that is not absolute http(s)); 23500008 for an unknown result key.
/// </para>
/// </remarks>
public sealed class TryOnEmulator
{
    /// <summary>The AppCode an emulator accepts unless configured otherwise.</summary>
    public const string DefaultAppCode = "emulator-appcode";

    /// <summary>The AppKey an emulator accepts in the signing mode unless configured otherwise, with <see cref="DefaultAppSecret"/>.</summary>
    public const string DefaultAppKey = "emulator-appkey";

    /// <summary>The AppSecret of <see cref="DefaultAppKey"/>: a well-known test value, like <see cref="DefaultAppCode"/>.</summary>
    public const string DefaultAppSecret = "emulator-appsecret";

    internal const int MaxBodyBytes = 1024 * 1024;
    internal const string SubmitPath = "/api/v2/tryon/submit";
    internal const string QueryPath = "/api/v2/tryon/query";
    internal const string StoragePrefix = "/oss/";
    private const string ResultsPrefix = StoragePrefix + "results/";

    private readonly TimeProvider _timeProvider;
    private readonly HashSet<string> _appCodes;
    private readonly GatewaySignatureVerifier _signatures;
    private readonly JobTimeline _timeline;
    private readonly int _resultsPerTask;
    private readonly TimeSpan _resultLifetime;
    private readonly TimeSpan _nonceWindow;
    private readonly ConcurrentDictionary<string, EmulatedJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _nonces = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<TryOnEmulatorRequest> _requests = new();
    private readonly ResultUrlSigner _signer = new();
    private readonly ImageFetcher? _imageFetcher;
    private int _sequence = -1;

    /// <summary>Creates an emulator with the default options: one AppCode, <see cref="DefaultAppCode"/>, on the system clock.</summary>
    public TryOnEmulator()
        : this(null)
    {
    }

    /// <summary>Creates an emulator.</summary>
    /// <param name="options">The settings, copied; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">No AppCode and no AppKey/AppSecret pair, or a duration, count or window that is not positive.</exception>
    public TryOnEmulator(TryOnEmulatorOptions? options)
    {
        options ??= new TryOnEmulatorOptions();
        _appCodes = new HashSet<string>(options.AppCodes.Where(static c => !string.IsNullOrWhiteSpace(c)), StringComparer.Ordinal);
        var appKeys = options.AppKeys.Where(static p => !string.IsNullOrWhiteSpace(p.Key) && !string.IsNullOrWhiteSpace(p.Value)).ToArray();
        if (_appCodes.Count == 0 && appKeys.Length == 0)
        {
            throw new ArgumentException("The emulator needs at least one AppCode or AppKey/AppSecret pair.", nameof(options));
        }

        if (options.QueueTime < TimeSpan.Zero || options.FastDuration < TimeSpan.Zero || options.QualityDuration < TimeSpan.Zero)
        {
            throw new ArgumentException("QueueTime, FastDuration and QualityDuration cannot be negative.", nameof(options));
        }

        if (options.ResultsPerTask < 1 || options.ResultUrlLifetime <= TimeSpan.Zero || options.NonceWindow <= TimeSpan.Zero)
        {
            throw new ArgumentException("ResultsPerTask, ResultUrlLifetime and NonceWindow must be positive.", nameof(options));
        }

        _timeProvider = options.TimeProvider ?? TimeProvider.System;
        _timeline = new JobTimeline(options.QueueTime, options.FastDuration, options.QualityDuration);
        _resultsPerTask = options.ResultsPerTask;
        _resultLifetime = options.ResultUrlLifetime;
        _nonceWindow = options.NonceWindow;
        ResultsBaseAddress = options.ResultsBaseAddress;
        ImageHost = new TryOnEmulatorImageHost(ResultsBaseAddress ?? DefaultResultsAddress, _timeProvider, _signer);
        if (options.FetchImages)
        {
            _imageFetcher = new ImageFetcher(ImageHost, options.ImageFetchHandler, options.ImageFetchTimeout);
        }
        AppCodes = [.. options.AppCodes.Where(static c => !string.IsNullOrWhiteSpace(c))];
        AppKeys = [.. appKeys.Select(static p => p.Key)];
        _signatures = new GatewaySignatureVerifier(appKeys.ToDictionary(StringComparer.Ordinal), _timeProvider, _nonceWindow);
        Faults = new TryOnEmulatorFaults(options.RandomSeed);
    }

    /// <summary>Where an in-memory client sends its calls: <c>https://tryon.emulator.test/</c>.</summary>
    public static Uri DefaultBaseAddress { get; } = new("https://tryon.emulator.test/");

    /// <summary>Where in-memory result URLs point: a host other than the API's, like real object storage.</summary>
    public static Uri DefaultResultsAddress { get; } = new("https://results.emulator.test/oss/");

    /// <summary>The AppCodes the emulator accepts; the first is the one <see cref="CreateClient"/> uses.</summary>
    public IReadOnlyList<string> AppCodes { get; }

    /// <summary>
    /// The AppKeys the emulator accepts in the signing mode (their secrets are not shown); the first is the one
    /// <see cref="CreateSignedClientOptions"/> uses.
    /// </summary>
    public IReadOnlyList<string> AppKeys { get; }

    /// <summary>The clock jobs run on.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>The scripted faults.</summary>
    public TryOnEmulatorFaults Faults { get; }

    /// <summary>How particular image URLs behave.</summary>
    public TryOnEmulatorImageRules Images { get; } = new();

    /// <summary>
    /// The emulator's in-memory image host: clients of <see cref="CreateClient(Action{TryOnClientOptions})"/> and options of
    /// <see cref="CreateClientOptions"/> publish local images (files, streams, bytes) through it, so they need no storage.
    /// </summary>
    public TryOnEmulatorImageHost ImageHost { get; }

    /// <summary>Every request received so far, in arrival order, secrets masked.</summary>
    public IReadOnlyList<TryOnEmulatorRequest> Requests => [.. _requests.OrderBy(static r => r.Sequence)];

    /// <summary>How many jobs have been created.</summary>
    public int JobCount => _jobs.Count;

    internal Uri? ResultsBaseAddress { get; }

    /// <summary>Forgets the recorded requests (jobs, nonces and faults stay).</summary>
    public void ClearRequests()
    {
        while (_requests.TryDequeue(out _))
        {
        }
    }

    /// <summary>
    /// Creates an in-memory transport: an <see cref="HttpMessageHandler"/> that answers as the service would,
    /// for any host, with no sockets. Result URLs point at <see cref="DefaultResultsAddress"/> unless
    /// <see cref="TryOnEmulatorOptions.ResultsBaseAddress"/> is set; this handler serves them too.
    /// </summary>
    /// <returns>A new handler; dispose it (or the client owning it) when done.</returns>
    public HttpMessageHandler CreateHandler() => new TryOnEmulatorHandler(this);

    /// <summary>
    /// Creates a plain <see cref="HttpClient"/> over the in-memory transport, with no authentication: for raw
    /// calls in tests and for downloading result images.
    /// </summary>
    /// <returns>A client whose <see cref="HttpClient.BaseAddress"/> is <see cref="DefaultBaseAddress"/>.</returns>
    public HttpClient CreateHttpClient() => new(CreateHandler()) { BaseAddress = DefaultBaseAddress };

    /// <summary>Options that point a <see cref="TryOnClient"/> at this emulator in memory with its first AppCode.</summary>
    /// <returns>New options; change them freely.</returns>
    public TryOnClientOptions CreateClientOptions() => new() { Endpoint = DefaultBaseAddress, AppCode = AppCodes[0], ImageHost = ImageHost };

    /// <summary>
    /// Options that point a <see cref="TryOnClient"/> at this emulator in memory, signing every request with its first
    /// AppKey and that key's AppSecret (the gateway's AppKey/AppSecret mode) instead of an AppCode.
    /// </summary>
    /// <returns>New options; change them freely.</returns>
    /// <exception cref="InvalidOperationException">The emulator accepts no AppKey.</exception>
    public TryOnClientOptions CreateSignedClientOptions()
    {
        if (AppKeys.Count == 0)
        {
            throw new InvalidOperationException("This emulator accepts no AppKey: add a pair to TryOnEmulatorOptions.AppKeys.");
        }

        return new() { Endpoint = DefaultBaseAddress, AppKey = AppKeys[0], AppSecret = _signatures.SecretOf(AppKeys[0]), ImageHost = ImageHost };
    }

    /// <summary>
    /// Creates an SDK client that talks to this emulator in memory, on the emulator's clock (so a fake clock drives
    /// both the jobs and the client's waiting).
    /// </summary>
    /// <param name="configure">Changes the client's options (for example polling) before it is created; optional.</param>
    /// <returns>A ready client.</returns>
    /// <exception cref="ArgumentException">The options, after <paramref name="configure"/>, are invalid.</exception>
    public TryOnClient CreateClient(Action<TryOnClientOptions>? configure = null)
    {
        var options = CreateClientOptions();
        configure?.Invoke(options);
        return new TryOnClient(options, CreateHandler(), _timeProvider);
    }

    /// <summary>Handles one request: faults, the gateway's checks, the service's rules, storage, and the record.</summary>
    internal async Task<EmulatorResponse> HandleAsync(EmulatorRequest request, CancellationToken cancellationToken)
    {
        var arrived = _timeProvider.GetUtcNow();
        var requestId = Guid.NewGuid().ToString("D").ToUpperInvariant();
        var operation = Classify(request.Path);
        var fault = operation == TryOnEmulatorOperation.Unknown ? null : Faults.Next(operation);
        string? resultKey = null;
        EmulatorResponse? response = null;
        var cancelled = false;
        try
        {
            if (fault is { AfterProcessing: false })
            {
                response = await BeforeProcessingAsync(fault, requestId, cancellationToken).ConfigureAwait(false);
            }

            if (response is null)
            {
                (response, resultKey) = await ProcessAsync(operation, request, fault, requestId, cancellationToken).ConfigureAwait(false);
                if (fault is { AfterProcessing: true })
                {
                    response = await AfterProcessingAsync(fault, response, requestId, cancellationToken).ConfigureAwait(false);
                }
            }

            if (operation != TryOnEmulatorOperation.DownloadResult && response.Failure == ConnectionFailure.None)
            {
                response.Headers.Add(new("X-Ca-Request-Id", requestId));
            }

            return response;
        }
        catch (OperationCanceledException)
        {
            cancelled = true; // the client gave up: whatever was processed never reached it
            throw;
        }
        finally
        {
            // A query struck by a fault still names the job it asked for.
            resultKey ??= operation == TryOnEmulatorOperation.Query ? RequestBodyReader.ReadQuery(request.Body).ResultKey : null;
            Record(request, arrived, operation, cancelled ? null : response, fault, resultKey);
        }
    }

    private static TryOnEmulatorOperation Classify(string path) => path switch
    {
        SubmitPath => TryOnEmulatorOperation.Submit,
        QueryPath => TryOnEmulatorOperation.Query,
        _ when path.StartsWith(StoragePrefix, StringComparison.Ordinal) => TryOnEmulatorOperation.DownloadResult,
        _ => TryOnEmulatorOperation.Unknown,
    };

    private async Task<EmulatorResponse?> BeforeProcessingAsync(TryOnEmulatorFault fault, string requestId, CancellationToken cancellationToken)
    {
        switch (fault.Kind)
        {
            case TryOnEmulatorFault.FaultKind.Latency:
                await Task.Delay(fault.Delay, _timeProvider, cancellationToken).ConfigureAwait(false);
                return null;
            case TryOnEmulatorFault.FaultKind.DroppedConnection:
                return EmulatorResponse.Dropped(ConnectionFailure.Refused);
            case TryOnEmulatorFault.FaultKind.TaskFailed or TryOnEmulatorFault.FaultKind.NotFoundAfterSubmit:
                return null; // decided while the job is created
            default:
                return FaultResponse(fault, requestId);
        }
    }

    private async Task<EmulatorResponse> AfterProcessingAsync(TryOnEmulatorFault fault, EmulatorResponse processed, string requestId, CancellationToken cancellationToken)
    {
        switch (fault.Kind)
        {
            case TryOnEmulatorFault.FaultKind.Latency:
                await Task.Delay(fault.Delay, _timeProvider, cancellationToken).ConfigureAwait(false);
                return processed;
            case TryOnEmulatorFault.FaultKind.DroppedConnection:
                return EmulatorResponse.Dropped(ConnectionFailure.ResponseCutOff);
            case TryOnEmulatorFault.FaultKind.TruncatedBody:
                return processed.CutOffHalfway();
            default:
                return FaultResponse(fault, requestId);
        }
    }

    private static EmulatorResponse FaultResponse(TryOnEmulatorFault fault, string requestId)
    {
        var response = fault.Kind switch
        {
            TryOnEmulatorFault.FaultKind.ServiceError => ServiceError(fault.ServiceCode, requestId, fault.Status),
            TryOnEmulatorFault.FaultKind.GatewayError => GatewayError(fault.Status, fault.Message!),
            _ => new EmulatorResponse
            {
                Status = fault.Status,
                ContentType = "text/html",
                Body = Encoding.UTF8.GetBytes(HtmlPage(fault.Status)),
                ErrorCode = fault.Status.ToString(CultureInfo.InvariantCulture),
            },
        };
        if (fault.RetryAfter is { } retryAfter)
        {
            response.Headers.Add(new("Retry-After", Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture)));
        }

        return response;
    }

    private async Task<(EmulatorResponse Response, string? ResultKey)> ProcessAsync(TryOnEmulatorOperation operation, EmulatorRequest request, TryOnEmulatorFault? fault, string requestId, CancellationToken cancellationToken)
    {
        if (operation == TryOnEmulatorOperation.DownloadResult)
        {
            return Download(request);
        }

        if (operation == TryOnEmulatorOperation.Unknown || request.Method != "POST")
        {
            var notFound = GatewayError(404, "API Not Found");
            notFound.Headers.Add(new("X-Ca-Error-Code", "I404NF"));
            return (notFound, null);
        }

        if (request.Body.Length > MaxBodyBytes)
        {
            var tooLarge = GatewayError(413, "Request Body Too Large");
            tooLarge.Headers.Add(new("X-Ca-Error-Code", "I413RL"));
            return (tooLarge, null);
        }

        var authorization = request.Header("Authorization");
        if (!IsAppCode(authorization) && GatewaySignatureVerifier.IsSigned(request))
        {
            // The signing mode: the gateway's own refusals, before the nonce is spent, so a forged request burns none.
            if (_signatures.Verify(request) is { } refusal)
            {
                return (GatewayError(refusal.Status, refusal.Message), null);
            }
        }
        else if (!IsAuthorized(authorization))
        {
            return (ServiceError(ServiceCodes.Unauthorized, requestId), null);
        }

        var nonce = request.Header("X-Ca-Nonce");
        if (string.IsNullOrWhiteSpace(nonce))
        {
            return (GatewayError(400, "Invalid Nonce"), null);
        }

        if (!UseNonce(nonce!))
        {
            return (GatewayError(400, "Nonce Used"), null);
        }

        // A body that is missing is reported as such whatever its declared type, as the service does.
        if (!RequestBodyReader.IsMissing(request.Body) && !IsJson(request.Header("Content-Type")))
        {
            return (ServiceError(ServiceCodes.IllegalParameter, requestId), null);
        }

        return operation == TryOnEmulatorOperation.Submit
            ? await SubmitAsync(request, fault, requestId, cancellationToken).ConfigureAwait(false)
            : Query(request, requestId);
    }

    private async Task<(EmulatorResponse, string?)> SubmitAsync(EmulatorRequest request, TryOnEmulatorFault? fault, string requestId, CancellationToken cancellationToken)
    {
        var (tasks, error) = RequestBodyReader.ReadSubmit(request.Body);
        if (tasks is null)
        {
            return (ServiceError(error, requestId), null);
        }

        var fails = new bool[tasks.Count];
        for (var i = 0; i < tasks.Count; i++)
        {
            foreach (var url in Urls(tasks[i]))
            {
                switch (Images.Verdict(url))
                {
                    case ImageVerdict.Unreachable:
                        return (ServiceError(ServiceCodes.ImageUnreachable, requestId), null);
                    case ImageVerdict.ContentRejected:
                        return (ServiceError(ServiceCodes.ContentRejected, requestId), null);
                    case ImageVerdict.Invalid:
                        return (ServiceError(ServiceCodes.ImageInvalid, requestId), null);
                    case ImageVerdict.GenerationFailure:
                        fails[i] = true;
                        break;
                }
            }

            fails[i] |= fault?.Kind == TryOnEmulatorFault.FaultKind.TaskFailed;
        }

        // As the service: every image fetched and checked before a job is created (and billed).
        var received = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_imageFetcher is { } fetcher)
        {
            foreach (var url in tasks.SelectMany(Urls).Distinct(StringComparer.Ordinal))
            {
                var (code, description) = await fetcher.CheckAsync(url, cancellationToken).ConfigureAwait(false);
                if (code != 0)
                {
                    return (ServiceError(code, requestId), null);
                }

                received[url] = description!;
            }
        }
        else
        {
            // Not fetching: images of the emulator's own host are in memory anyway, so their cards can still name them.
            foreach (var url in tasks.SelectMany(Urls).Distinct(StringComparer.Ordinal))
            {
                if (ImageFetcher.DescribeOwn(ImageHost, url) is { } description)
                {
                    received[url] = description;
                }
            }
        }

        var now = _timeProvider.GetUtcNow();
        var job = new EmulatedJob(Guid.NewGuid().ToString("N"), now, tasks, fails)
        {
            Received = received,
            VisibleAt = fault?.Kind == TryOnEmulatorFault.FaultKind.NotFoundAfterSubmit ? now + fault.Delay : now,
        };
        _jobs[job.ResultKey] = job;
        return (Json(ResponseWriter.Submitted(job, requestId)), job.ResultKey);
    }

    private (EmulatorResponse, string?) Query(EmulatorRequest request, string requestId)
    {
        var (resultKey, error) = RequestBodyReader.ReadQuery(request.Body);
        if (resultKey is null)
        {
            return (ServiceError(error, requestId), null);
        }

        var now = _timeProvider.GetUtcNow();
        if (!_jobs.TryGetValue(resultKey, out var job) || now < job.VisibleAt)
        {
            return (ServiceError(ServiceCodes.JobNotFound, requestId), resultKey);
        }

        var expires = (now + _resultLifetime).ToUnixTimeSeconds();
        string ResultUrl(int task, int index)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"results/{job.ResultKey}/{task}/{index}.png");
            return new Uri(request.ResultsBase, name).AbsoluteUri + _signer.Sign(StoragePrefix + name, expires);
        }

        var body = ResponseWriter.Queried(job, task => job.StatusAt(task, now, _timeline), ResultUrl, _resultsPerTask, requestId);
        return (Json(body), resultKey);
    }

    /// <summary>Object storage: a signed, unexpired URL of a successful task's image; never accepts credentials.</summary>
    private (EmulatorResponse, string?) Download(EmulatorRequest request)
    {
        // Gateway credentials have no business at the storage host; receiving them means a client leaked them.
        if (request.Header("Authorization") is not null || request.Headers.Keys.Any(static h => h.StartsWith("X-Ca-", StringComparison.OrdinalIgnoreCase)))
        {
            return (StorageError(403, "AccessDenied", "Gateway credentials were sent to the storage host."), null);
        }

        if (request.Method is not ("GET" or "HEAD"))
        {
            return (StorageError(405, "MethodNotAllowed", "The specified method is not allowed against this resource."), null);
        }

        if (request.Path.StartsWith(TryOnEmulatorImageHost.PathPrefix, StringComparison.Ordinal))
        {
            return (ServeImage(request), null);
        }

        var parts = request.Path.StartsWith(ResultsPrefix, StringComparison.Ordinal)
            ? request.Path[ResultsPrefix.Length..].Split('/')
            : [];
        if (parts.Length != 3
            || !parts[2].EndsWith(".png", StringComparison.Ordinal)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var task)
            || !int.TryParse(parts[2][..^4], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return (StorageError(404, "NoSuchKey", "The specified key does not exist."), null);
        }

        var resultKey = parts[0];
        if (!_signer.Verify(request.Path, request.QueryString, out var expires))
        {
            return (StorageError(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."), resultKey);
        }

        var now = _timeProvider.GetUtcNow();
        if (now.ToUnixTimeSeconds() > expires)
        {
            return (StorageError(403, "AccessDenied", "Request has expired."), resultKey);
        }

        if (!_jobs.TryGetValue(resultKey, out var job) || task >= job.Tasks.Count || index >= _resultsPerTask
            || job.StatusAt(task, now, _timeline) != "SUCCESS")
        {
            return (StorageError(404, "NoSuchKey", "The specified key does not exist."), resultKey);
        }

        var input = job.Tasks[task];
        var png = ResultImageRenderer.Render(new ResultCard(
            resultKey, task, index, job.Describe(input.ModelImage), job.Describe(input.Upper?.Url), job.Describe(input.Lower?.Url), job.Describe(input.FullBody?.Url), input.InferenceMode == 1));
        return (new EmulatorResponse { Status = 200, ContentType = "image/png", Body = request.Method == "HEAD" ? [] : png }, resultKey);
    }

    /// <summary>An image of the emulator's image host, as a storage host serves it: signed and unexpired, or refused.</summary>
    private EmulatorResponse ServeImage(EmulatorRequest request)
    {
        if (ImageHost.Find(request.Path, request.QueryString, out var expired) is not { } image)
        {
            return expired
                ? StorageError(403, "AccessDenied", "Request has expired.")
                : StorageError(404, "NoSuchKey", "The specified key does not exist.");
        }

        return new EmulatorResponse { Status = 200, ContentType = image.ContentType, Body = request.Method == "HEAD" ? [] : image.Content };
    }

    private const string AppCodeScheme = "APPCODE ";

    private static bool IsAppCode(string? authorization) =>
        authorization is not null && authorization.StartsWith(AppCodeScheme, StringComparison.Ordinal);

    private bool IsAuthorized(string? authorization) =>
        IsAppCode(authorization) && _appCodes.Contains(authorization![AppCodeScheme.Length..]);

    /// <summary>Records the nonce; false when it was already used within the window.</summary>
    private bool UseNonce(string nonce)
    {
        var now = _timeProvider.GetUtcNow();
        if (_nonces.Count > 10_000)
        {
            foreach (var entry in _nonces)
            {
                if (now - entry.Value > _nonceWindow)
                {
                    _nonces.TryRemove(entry);
                }
            }
        }

        var first = true;
        _nonces.AddOrUpdate(nonce, now, (_, seen) =>
        {
            first = now - seen > _nonceWindow;
            return first ? now : seen;
        });
        return first;
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && string.Equals(parsed.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> Urls(SubmittedTask task)
    {
        yield return task.ModelImage;
        foreach (var garment in new[] { task.Upper, task.Lower, task.FullBody })
        {
            if (garment is not null)
            {
                yield return garment.Url;
            }
        }
    }

    private static EmulatorResponse Json(byte[] body, int status = 200) =>
        new() { Status = status, ContentType = "application/json", Body = body };

    private static EmulatorResponse ServiceError(int code, string requestId, int? status = null) => new()
    {
        Status = status ?? ServiceCodes.Status(code),
        ContentType = "application/json",
        Body = ResponseWriter.Error(code, requestId),
        ErrorCode = code.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The gateway's own answers: a status, an empty body and the reason in <c>X-Ca-Error-Message</c>.</summary>
    private static EmulatorResponse GatewayError(int status, string message)
    {
        var response = new EmulatorResponse { Status = status, ErrorCode = message };
        response.Headers.Add(new("X-Ca-Error-Message", message));
        return response;
    }

    private static EmulatorResponse StorageError(int status, string code, string message) => new()
    {
        Status = status,
        ContentType = "application/xml",
        Body = Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>"),
        ErrorCode = code,
    };

    private static string HtmlPage(int status)
    {
        var title = status switch
        {
            502 => "502 Bad Gateway",
            503 => "503 Service Temporarily Unavailable",
            _ => "504 Gateway Time-out",
        };
        return $"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    }

    private void Record(EmulatorRequest request, DateTimeOffset arrived, TryOnEmulatorOperation operation, EmulatorResponse? response, TryOnEmulatorFault? fault, string? resultKey)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = Mask(name, string.Join(",", values));
        }

        _requests.Enqueue(new TryOnEmulatorRequest(
            Interlocked.Increment(ref _sequence),
            arrived,
            operation,
            request.Method,
            request.Path + request.QueryString,
            headers,
            request.Header("X-Ca-Nonce"),
            request.Body.Length == 0 ? null : Encoding.UTF8.GetString(request.Body),
            response?.Failure is null or ConnectionFailure.None ? response?.Status ?? 0 : 0,
            response?.ErrorCode ?? (response is null ? "cancelled" : response.Failure == ConnectionFailure.None ? null : "connection dropped"),
            fault,
            resultKey));
    }

    /// <summary>Keeps the scheme of credentials and nothing of their value.</summary>
    private static string Mask(string header, string value)
    {
        if (header.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
        {
            var space = value.IndexOf(' ', StringComparison.Ordinal);
            return (space > 0 ? value[..space] : "(credentials)") + " ***";
        }

        return header.Equals("X-Ca-Signature", StringComparison.OrdinalIgnoreCase) ? "***" : value;
    }
}
