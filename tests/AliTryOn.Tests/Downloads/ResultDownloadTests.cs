using System.Net;
using AliTryOn.Downloads;
using AliTryOn.Tests.TestSupport;
using static AliTryOn.Tests.Downloads.StorageAnswers;

namespace AliTryOn.Tests.Downloads;

/// <summary>
/// Result downloads through a client's own downloads chain: never a credential on the wire, the service's time limits
/// and retries, redirects followed only where safe, a size cap, a content-type check, progress, typed errors.
/// </summary>
public sealed class ResultDownloadTests : IDisposable
{
    private readonly ObservedFakeTimeProvider _time = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "alitryon-downloads-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_image_is_downloaded_to_a_stream_and_no_credential_goes_with_it()
    {
        var image = Image(3000);
        var transport = Transport((_, _) => Ok(image));
        var client = Client(transport);
        using var destination = new MemoryStream();

        var downloaded = await client.DownloadResultAsync(new Uri(Link), destination);

        Assert.Equal(image, destination.ToArray());
        Assert.Equal(new TryOnDownloadedImage("image/png", 3000), downloaded);
        var request = Assert.Single(transport.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal(new Uri(Link), request.Uri);
        Assert.Equal(["image/*"], request.Header("Accept"));
        Assert.Equal(["identity"], request.Header("Accept-Encoding"));
        AssertNoCredentials(request);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task An_image_sent_compressed_all_the_same_is_refused_and_nothing_is_written(string coding)
    {
        // An HTTP host may compress when asked for nothing in particular; the client asks for the image as stored, and
        // a host that compresses anyway would otherwise leave the compressed bytes in the file, named as a PNG.
        var transport = Transport((_, _) =>
        {
            var response = Ok(Image(3000));
            response.Content.Headers.ContentEncoding.Add(coding);
            return response;
        });
        var path = Path.Combine(_folder, "image.png");

        var error = await Assert.ThrowsAsync<TryOnDownloadException>(() => Client(transport).DownloadResultToFileAsync(new Uri(Link), path));

        Assert.Contains($"'Content-Encoding: {coding}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was written", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsRetryable);
        Assert.Single(transport.Requests);
        Assert.False(File.Exists(path));
        Assert.True(!Directory.Exists(_folder) || Directory.GetFiles(_folder).Length == 0);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/octet-stream")]
    [InlineData(null)]
    public async Task An_answer_that_is_not_an_image_is_a_typed_error_naming_its_type_and_is_not_retried(string? mediaType)
    {
        var transport = Transport((_, _) => Ok("<html>maintenance</html>"u8.ToArray(), mediaType));
        using var destination = new MemoryStream();

        var error = await Assert.ThrowsAsync<TryOnUnexpectedContentTypeException>(() => Client(transport).DownloadResultAsync(new Uri(Link), destination));

        Assert.Equal(mediaType, error.ContentType);
        Assert.Contains(mediaType is null ? "no content type" : $"'{mediaType}'", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsRetryable);
        Assert.Equal(0, destination.Length);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task A_declared_size_over_the_limit_is_refused_before_the_body_is_read()
    {
        var body = new WatchedStream(Image(5000));
        var transport = Transport((_, _) => Streamed(body, declaredLength: 5000));
        using var destination = new MemoryStream();

        var error = await Assert.ThrowsAsync<TryOnDownloadTooLargeException>(() =>
            Client(transport).DownloadResultAsync(new Uri(Link), destination, new TryOnDownloadOptions { MaxBytes = 4096 }));

        Assert.Equal((4096L, 5000L), (error.MaxBytes, error.ContentLength!.Value));
        Assert.Contains("4096 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxBytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, body.BytesRead);
        Assert.Equal(0, destination.Length);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task An_undeclared_size_over_the_limit_stops_the_download_while_it_streams()
    {
        var body = new WatchedStream(Image(50_000));
        var transport = Transport((_, _) => Streamed(body, declaredLength: null));
        using var destination = new MemoryStream();

        var error = await Assert.ThrowsAsync<TryOnDownloadTooLargeException>(() =>
            Client(transport).DownloadResultAsync(new Uri(Link), destination, new TryOnDownloadOptions { MaxBytes = 4096 }));

        Assert.Null(error.ContentLength);
        Assert.Contains("4096 bytes", error.Message, StringComparison.Ordinal);
        Assert.InRange(body.BytesRead, 4097, 5000);
        Assert.Equal(0, destination.Length);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(4096L)]
    public async Task An_image_of_exactly_the_limit_is_accepted(long? declaredLength)
    {
        var image = Image(4096);
        var transport = Transport((_, _) => Streamed(new WatchedStream(image), declaredLength));
        using var destination = new MemoryStream();

        var downloaded = await Client(transport).DownloadResultAsync(new Uri(Link), destination, new TryOnDownloadOptions { MaxBytes = 4096 });

        Assert.Equal(image, destination.ToArray());
        Assert.Equal(new TryOnDownloadedImage("image/png", 4096), downloaded);
        Assert.Single(transport.Requests);
    }

    [Fact]
    public async Task A_link_refused_before_the_expiry_it_names_is_not_said_to_have_expired()
    {
        _time.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds(1700000000).AddMinutes(-10));
        var transport = Transport((_, _) => StorageError(HttpStatusCode.Forbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match."));

        var error = await Assert.ThrowsAsync<TryOnResultExpiredException>(() => Client(transport).DownloadResultToFileAsync(new Uri(Link), Path.Combine(_folder, "a.png")));

        Assert.DoesNotContain("expired", error.Message, StringComparison.Ordinal);
        Assert.Contains("the link says it is valid until 2023-11-14 22:13:20Z, so it was refused for another reason", error.Message, StringComparison.Ordinal);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), error.ExpiresAt);
    }

    [Fact]
    public async Task An_expired_link_is_a_typed_clear_error_that_is_not_retried_and_hides_the_signature()
    {
        _time.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds(1700000000).AddMinutes(1));
        var transport = Transport((_, _) => StorageError(HttpStatusCode.Forbidden, "AccessDenied", "Request has expired."));

        var error = await Assert.ThrowsAsync<TryOnResultExpiredException>(() => Client(transport).DownloadResultToFileAsync(new Uri(Link), Path.Combine(_folder, "a.png")));

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), error.ExpiresAt);
        Assert.Equal((403, "AccessDenied", "Request has expired."), (error.Status!.Value, error.ErrorCode!, error.Details.ErrorMessage!));
        Assert.Contains("HTTP 403, AccessDenied: Request has expired.", error.Message, StringComparison.Ordinal);
        Assert.Contains("it has expired. It was valid until 2023-11-14 22:13:20Z, which has passed.", error.Message, StringComparison.Ordinal);
        Assert.Contains("https://results.storage.test/rk/0/0.png", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error.Details.ToString(), StringComparison.Ordinal);
        Assert.False(error.IsRetryable);
        Assert.Single(transport.Requests);
        Assert.False(Directory.Exists(_folder) && Directory.EnumerateFileSystemEntries(_folder).Any());
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, typeof(TryOnDownloadException), 1)]
    [InlineData(HttpStatusCode.Gone, typeof(TryOnResultExpiredException), 1)]
    [InlineData(HttpStatusCode.Unauthorized, typeof(TryOnResultExpiredException), 1)]
    [InlineData(HttpStatusCode.BadGateway, typeof(TryOnDownloadException), 4)]
    [InlineData(HttpStatusCode.InternalServerError, typeof(TryOnDownloadException), 4)]
    [InlineData(HttpStatusCode.RequestTimeout, typeof(TryOnDownloadException), 4)]
    [InlineData((HttpStatusCode)499, typeof(TryOnDownloadException), 1)]
    [InlineData((HttpStatusCode)429, typeof(TryOnThrottledException), 4)]
    public async Task Each_failed_status_is_its_typed_error_after_the_retries_it_deserves(HttpStatusCode status, Type expected, int attempts)
    {
        var transport = Transport((_, _) => StorageError(status, "Code", "Message"));
        using var destination = new MemoryStream();

        var call = Client(transport).DownloadResultAsync(new Uri(Link), destination);
        var error = await Assert.ThrowsAnyAsync<TryOnException>(() => FakeClock.RunAsync(_time, call, TimeSpan.FromMinutes(5)));

        Assert.IsType(expected, error);
        Assert.Equal((int)status, error.Status);
        Assert.Equal(attempts, transport.Requests.Count);
    }

    [Fact]
    public async Task Transient_failures_are_retried_and_Retry_After_is_honoured()
    {
        var image = Image(100);
        var transport = Transport((_, index) => index switch
        {
            0 => StorageError(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "busy"),
            1 => WithRetryAfter(StorageError((HttpStatusCode)429, "SlowDown", "Please reduce your request rate."), seconds: 7),
            _ => Ok(image),
        });
        using var destination = new MemoryStream();

        var downloaded = await FakeClock.RunAsync(_time, Client(transport).DownloadResultAsync(new Uri(Link), destination), TimeSpan.FromMinutes(1));

        Assert.Equal(100, downloaded.Length);
        var requests = transport.Requests;
        Assert.Equal(3, requests.Count);
        Assert.InRange(requests[2].At - requests[1].At, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7) + FakeClock.Step);
        Assert.All(requests, AssertNoCredentials);
    }

    [Theory]
    [InlineData(60, 2)]
    [InlineData(61, 1)]
    public async Task A_Retry_After_is_waited_out_up_to_MaxRetryAfter_and_a_longer_one_fails_at_once(int seconds, int attempts)
    {
        var image = Image(100);
        var transport = Transport((_, index) => index == 0 ? WithRetryAfter(StorageError(HttpStatusCode.ServiceUnavailable, "SlowDown", "busy"), seconds) : Ok(image));
        using var destination = new MemoryStream();

        var call = Client(transport, o => o.TotalTimeout = Timeout.InfiniteTimeSpan).DownloadResultAsync(new Uri(Link), destination);
        if (attempts == 1)
        {
            await Assert.ThrowsAnyAsync<TryOnDownloadException>(() => FakeClock.RunAsync(_time, call, TimeSpan.FromMinutes(5)));
        }
        else
        {
            Assert.Equal(100, (await FakeClock.RunAsync(_time, call, TimeSpan.FromMinutes(5))).Length);
        }

        Assert.Equal(attempts, transport.Requests.Count);
    }

    [Fact]
    public async Task A_connection_lost_in_the_body_is_retried_and_progress_starts_again()
    {
        var image = Image(2000);
        var transport = Transport((_, index) => index == 0
            ? Streamed(new WatchedStream(image, breakAfter: 1000), declaredLength: 2000)
            : Streamed(new WatchedStream(image), declaredLength: 2000));
        var progress = new ProgressLog<TryOnDownloadProgress>();
        using var destination = new MemoryStream();

        await FakeClock.RunAsync(_time, Client(transport, NoTimeLimits).DownloadResultAsync(new Uri(Link), destination, new TryOnDownloadOptions { Progress = progress }), TimeSpan.FromDays(1));

        Assert.Equal(image, destination.ToArray());
        Assert.Equal(2, transport.Requests.Count);
        Assert.Equal(
            [new(0, 2000), new(1000, 2000), new(0, 2000), new(1000, 2000), new(2000, 2000)],
            progress.Reports);
    }

    [Fact]
    public async Task A_body_shorter_than_declared_is_a_lost_connection_and_is_retried()
    {
        var image = Image(500);
        var transport = Transport((_, index) => Streamed(new WatchedStream(index == 0 ? image[..300] : image), declaredLength: 500));
        using var destination = new MemoryStream();

        await FakeClock.RunAsync(_time, Client(transport, NoTimeLimits).DownloadResultAsync(new Uri(Link), destination), TimeSpan.FromDays(1));

        Assert.Equal(image, destination.ToArray());
        Assert.Equal(2, transport.Requests.Count);
    }

    [Fact]
    public async Task Attempts_that_time_out_are_retried_then_raise_a_typed_timeout()
    {
        var transport = Transport((_, _) => null); // never answers
        using var destination = new MemoryStream();
        var client = Client(transport, o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(10);
            o.TotalTimeout = Timeout.InfiniteTimeSpan;
            o.Retry.MaxRetries = 2;
        });

        var error = await Assert.ThrowsAsync<TryOnTimeoutException>(() => FakeClock.RunAsync(_time, client.DownloadResultAsync(new Uri(Link), destination), TimeSpan.FromMinutes(5)));

        Assert.Contains("00:00:10", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, transport.Requests.Count);
    }

    [Fact]
    public async Task Redirects_to_https_are_followed_and_carry_no_credentials()
    {
        var image = Image(10);
        var transport = Transport((request, _) => request.Uri.Host switch
        {
            "results.storage.test" => Redirect("https://cdn.storage.test/r/1.png?token=abc"),
            "cdn.storage.test" when request.Uri.AbsolutePath == "/r/1.png" => Redirect("/r/2.png", HttpStatusCode.TemporaryRedirect),
            "cdn.storage.test" => Ok(image, "image/webp"),
            _ => new HttpResponseMessage(HttpStatusCode.NotFound),
        });
        using var destination = new MemoryStream();

        var downloaded = await Client(transport).DownloadResultAsync(new Uri(Link), destination);

        Assert.Equal("image/webp", downloaded.ContentType);
        Assert.Equal(
            [Link, "https://cdn.storage.test/r/1.png?token=abc", "https://cdn.storage.test/r/2.png"],
            transport.Requests.Select(r => r.Uri.OriginalString));
        Assert.All(transport.Requests, AssertNoCredentials);
    }

    [Fact]
    public async Task An_http_link_may_redirect_to_http_and_an_answer_that_is_not_a_redirect_is_never_followed()
    {
        // Plain http to plain http is no downgrade (a local server, the emulator); only leaving https is refused.
        var image = Image(10);
        var plain = Transport((request, _) => request.Uri.AbsolutePath switch
        {
            "/r.png" => Redirect("http://mirror.storage.test/r2.png", HttpStatusCode.MovedPermanently),
            _ => Ok(image),
        });
        using var destination = new MemoryStream();
        await Client(plain, o => o.AllowInsecureHttp = true).DownloadResultAsync(new Uri("http://plain.storage.test/r.png"), destination);
        Assert.Equal(["http://plain.storage.test/r.png", "http://mirror.storage.test/r2.png"], plain.Requests.Select(r => r.Uri.OriginalString));
        Assert.Equal(image, destination.ToArray());

        // A Location on an answer that is not a redirect (here the image itself) is not followed.
        var withLocation = Transport((_, _) =>
        {
            var answer = Ok(image);
            answer.Headers.Location = new Uri("https://elsewhere.storage.test/x.png");
            return answer;
        });
        using var second = new MemoryStream();
        await Client(withLocation).DownloadResultAsync(new Uri(Link), second);
        Assert.Equal("results.storage.test", Assert.Single(withLocation.Requests).Uri.Host);
        Assert.Equal(image, second.ToArray());
    }

    [Fact]
    public async Task A_redirect_off_https_too_many_redirects_or_one_without_a_location_is_refused()
    {
        using var destination = new MemoryStream();

        var downgrade = Transport((_, _) => Redirect("http://plain.storage.test/r.png?token=abc"));
        var error = await Assert.ThrowsAsync<TryOnRedirectException>(() => Client(downgrade).DownloadResultAsync(new Uri(Link), destination));
        Assert.Contains("from https to http", error.Message, StringComparison.Ordinal);
        Assert.Equal(new Uri("http://plain.storage.test/r.png"), error.Location);
        Assert.Single(downgrade.Requests);

        var loop = Transport((request, index) => Redirect($"https://results.storage.test/hop/{index}"));
        error = await Assert.ThrowsAsync<TryOnRedirectException>(() => Client(loop).DownloadResultAsync(new Uri(Link), destination));
        Assert.Contains("more than 5 redirects", error.Message, StringComparison.Ordinal);
        Assert.Equal(6, loop.Requests.Count);

        var nowhere = Transport((_, _) => new HttpResponseMessage(HttpStatusCode.Found));
        error = await Assert.ThrowsAsync<TryOnRedirectException>(() => Client(nowhere).DownloadResultAsync(new Uri(Link), destination));
        Assert.Equal(302, error.Status);
        Assert.Equal(0, destination.Length);
    }

    [Fact]
    public async Task A_redirect_to_another_scheme_keeps_no_signature_in_its_location_even_where_that_scheme_has_no_query()
    {
        // .NET's ftp and file parsers keep what follows '?' in the path, escaped.
        using var destination = new MemoryStream();
        var ftp = Transport((_, _) => Redirect("ftp://files.storage.test/r.png?Signature=SECRET-ftp"));

        var error = await Assert.ThrowsAsync<TryOnRedirectException>(() => Client(ftp).DownloadResultAsync(new Uri(Link), destination));

        Assert.Contains("from https to ftp", error.Message, StringComparison.Ordinal);
        Assert.Equal(new Uri("ftp://files.storage.test/r.png"), error.Location);
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.PartialContent, "answered HTTP 206 (Partial Content) to a request for the whole image, not HTTP 200 with the image; nothing was written.")]
    [InlineData(HttpStatusCode.NoContent, "answered HTTP 204 (No Content), not HTTP 200 with the image; nothing was written.")]
    [InlineData(HttpStatusCode.Created, "answered HTTP 201, not HTTP 200 with the image; nothing was written.")]
    public async Task A_success_that_is_not_the_whole_image_fails_once_and_writes_nothing(HttpStatusCode status, string says)
    {
        var transport = Transport((_, _) =>
        {
            var response = Ok(Image(500));
            response.StatusCode = status;
            response.Content.Headers.ContentRange = new System.Net.Http.Headers.ContentRangeHeaderValue(0, 499, 1000);
            return response;
        });
        var path = Path.Combine(_folder, "image.png");

        var error = await Assert.ThrowsAsync<TryOnDownloadException>(() => Client(transport).DownloadResultToFileAsync(new Uri(Link), path));

        Assert.Equal($"The result link https://results.storage.test/rk/0/0.png {says}", error.Message);
        Assert.Equal((int)status, error.Status);
        Assert.False(error.IsRetryable);
        Assert.Single(transport.Requests);
        Assert.False(Directory.Exists(_folder) && Directory.EnumerateFileSystemEntries(_folder).Any());
    }

    [Fact]
    public async Task An_empty_image_fails_and_writes_nothing_to_a_file_or_a_stream()
    {
        var transport = Transport((_, _) => Ok([]));
        var path = Path.Combine(_folder, "image.png");
        using var destination = new MemoryStream();

        var error = await Assert.ThrowsAsync<TryOnDownloadException>(() => Client(transport).DownloadResultToFileAsync(new Uri(Link), path));
        await Assert.ThrowsAsync<TryOnDownloadException>(() => Client(transport).DownloadResultAsync(new Uri(Link), destination));

        Assert.Equal("The result link https://results.storage.test/rk/0/0.png answered with an empty body (0 bytes, HTTP 200), which is no image; nothing was written.", error.Message);
        Assert.False(File.Exists(path));
        Assert.Equal(0, destination.Length);
    }

    [Fact]
    public async Task Not_modified_is_a_failed_download_not_a_redirect()
    {
        var transport = Transport((_, _) => new HttpResponseMessage(HttpStatusCode.NotModified));

        var error = await Assert.ThrowsAsync<TryOnDownloadException>(() => Client(transport).DownloadResultAsync(new Uri(Link), new MemoryStream()));

        Assert.IsNotType<TryOnRedirectException>(error);
        Assert.Equal("The download of https://results.storage.test/rk/0/0.png was answered HTTP 304 (Not Modified), which carries no image; nothing was written.", error.Message);
    }

    [Fact]
    public async Task A_failure_whose_retry_after_is_longer_than_the_client_waits_says_what_was_asked()
    {
        var transport = Transport((_, _) => WithRetryAfter(StorageError(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "busy"), 3600));

        var error = await Assert.ThrowsAsync<TryOnDownloadException>(() => Client(transport).DownloadResultAsync(new Uri(Link), new MemoryStream()));

        Assert.Single(transport.Requests); // an hour is longer than Retry.MaxRetryAfter: not waited for
        Assert.EndsWith("after the retries the client allows. The storage host asked to wait 3600 s before trying again.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500, 3600, ", after the retries the client allows. The storage host asked to wait 3600 s before trying again.")]
    [InlineData(503, 0, ", after the retries the client allows.")] // "no wait" is not a wait to name
    [InlineData(400, null, ".")] // not retried, so no retries to name
    public async Task A_final_failure_names_its_retries_and_a_wait_asked_only_when_there_were_some(int status, int? retryAfter, string end)
    {
        var transport = Transport((_, _) => retryAfter is { } seconds
            ? WithRetryAfter(new HttpResponseMessage((HttpStatusCode)status), seconds)
            : new HttpResponseMessage((HttpStatusCode)status));

        var error = await Assert.ThrowsAsync<TryOnDownloadException>(() =>
            Client(transport, o => o.Retry.MaxRetries = 0).DownloadResultAsync(new Uri(Link), new MemoryStream()));

        Assert.Equal($"The download of https://results.storage.test/rk/0/0.png failed with HTTP {status}{end}", error.Message);
    }

    [Fact]
    public async Task A_link_with_user_information_is_refused_before_anything_is_sent_and_the_password_is_not_shown()
    {
        var transport = Transport((_, _) => Ok(Image(1)));
        var link = new Uri("https://user:SECRET-password@results.storage.test/r.png");
        var job = new TryOnJob("rk", [new TryOnTaskResult(0, TryOnTaskStatus.Succeeded, [link])]);

        var direct = await Assert.ThrowsAsync<ArgumentException>("resultUrl", () => Client(transport).DownloadResultAsync(link, new MemoryStream()));
        var inJob = await Assert.ThrowsAsync<ArgumentException>("job", () => Client(transport).DownloadResultsAsync(job, _folder));

        Assert.StartsWith("resultUrl must not carry user information (a name or password before its host, results.storage.test)", direct.Message, StringComparison.Ordinal);
        Assert.StartsWith("job.Tasks[0].ResultUrls[0] must not carry user information", inJob.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", direct.ToString() + inJob, StringComparison.Ordinal);
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task A_file_path_that_is_a_folder_is_refused_before_anything_is_sent()
    {
        Directory.CreateDirectory(_folder);
        var transport = Transport((_, _) => Ok(Image(1)));

        var existing = await Assert.ThrowsAsync<ArgumentException>("path", () => Client(transport).DownloadResultToFileAsync(new Uri(Link), _folder));
        var trailing = await Assert.ThrowsAsync<ArgumentException>("path", () => Client(transport).DownloadResultToFileAsync(new Uri(Link), Path.Combine(_folder, "sub") + Path.DirectorySeparatorChar));

        Assert.StartsWith($"'{_folder}' is a folder; give the path of the file to write", existing.Message, StringComparison.Ordinal);
        Assert.Contains("is a folder", trailing.Message, StringComparison.Ordinal);
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task A_job_download_cancelled_before_it_starts_creates_no_folder()
    {
        var transport = Transport((_, _) => Ok(Image(1)));
        var job = new TryOnJob("rk", [new TryOnTaskResult(0, TryOnTaskStatus.Succeeded, [new Uri(Link)])]);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client(transport).DownloadResultsAsync(job, _folder, cancellationToken: new CancellationToken(canceled: true)));

        Assert.False(Directory.Exists(_folder));
        Assert.Empty(transport.Requests);
    }

    [Fact]
    public async Task A_file_is_written_whole_or_not_at_all()
    {
        var path = Path.Combine(_folder, "sub", "result.png");
        var image = Image(1234);
        var answers = new Queue<Func<HttpResponseMessage?>>([
            () => Ok(image),
            () => StorageError(HttpStatusCode.Forbidden, "AccessDenied", "Request has expired."),
            () => Streamed(new WatchedStream(Image(9000)), declaredLength: null),
        ]);
        var transport = Transport((_, _) => answers.Dequeue()());
        var client = Client(transport);

        var saved = await client.DownloadResultToFileAsync(new Uri(Link), path);
        Assert.Equal(new TryOnDownloadedImage("image/png", 1234, Path.GetFullPath(path)), saved);
        Assert.Equal(image, await File.ReadAllBytesAsync(path));

        // Failures leave the file already there as it was, and nothing else behind.
        await Assert.ThrowsAsync<TryOnResultExpiredException>(() => client.DownloadResultToFileAsync(new Uri(Link), path));
        await Assert.ThrowsAsync<TryOnDownloadTooLargeException>(() => client.DownloadResultToFileAsync(new Uri(Link), path, new TryOnDownloadOptions { MaxBytes = 8000 }));
        Assert.Equal(image, await File.ReadAllBytesAsync(path));
        Assert.Equal([path], Directory.GetFiles(Path.Combine(_folder, "sub")));
    }

    [Fact]
    public async Task A_cancelled_download_throws_and_writes_no_file()
    {
        var transport = Transport((_, _) => null);
        using var cancellation = new CancellationTokenSource();
        var path = Path.Combine(_folder, "never.png");

        var call = Client(transport).DownloadResultToFileAsync(new Uri(Link), path, cancellationToken: cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.False(File.Exists(path));
        Assert.False(Directory.Exists(_folder) && Directory.EnumerateFileSystemEntries(_folder).Any());
    }

    [Fact]
    public async Task A_job_is_saved_in_files_named_after_its_key_task_and_result_with_extensions_from_their_content_types()
    {
        var job = new TryOnJob("rk-42.x", [
            new TryOnTaskResult(0, TryOnTaskStatus.Succeeded, [new Uri("https://results.storage.test/a?s=1"), new Uri("https://results.storage.test/b?s=1")]),
            new TryOnTaskResult(1, TryOnTaskStatus.Failed, []),
            new TryOnTaskResult(2, TryOnTaskStatus.Succeeded, [new Uri("https://results.storage.test/c?s=1")]),
        ]);
        var transport = Transport((request, _) => request.Uri.AbsolutePath switch
        {
            "/a" => Ok(Image(10), "image/png"),
            "/b" => Ok(Image(20), "image/jpeg"),
            _ => Ok(Image(30), "image/webp"),
        });
        var progress = new ProgressLog<TryOnDownloadProgress>();

        var saved = await Client(transport).DownloadResultsAsync(job, _folder, new TryOnDownloadOptions { Progress = progress });

        Assert.Equal(
            [
                new TryOnDownloadedImage("image/png", 10, Path.Combine(_folder, "rk-42.x-task0-result0.png"), 0, 0),
                new TryOnDownloadedImage("image/jpeg", 20, Path.Combine(_folder, "rk-42.x-task0-result1.jpg"), 0, 1),
                new TryOnDownloadedImage("image/webp", 30, Path.Combine(_folder, "rk-42.x-task2-result0.webp"), 2, 0),
            ],
            saved);
        Assert.Equal(saved.Select(s => s.FilePath).Order(), Directory.GetFiles(_folder).Order());
        Assert.Equal(Image(20), await File.ReadAllBytesAsync(saved[1].FilePath!));
        // The images download at once, so they finish in any order; each finishes once.
        Assert.Equal([(0, 0), (0, 1), (2, 0)], progress.Reports.Where(p => p.BytesReceived == p.TotalBytes).Select(p => (p.TaskIndex!.Value, p.ResultIndex!.Value)).Order());
        Assert.All(transport.Requests, AssertNoCredentials);
    }

    [Fact]
    public async Task Arguments_are_checked_before_anything_is_sent()
    {
        var transport = Transport((_, _) => Ok(Image(1)));
        var client = Client(transport);
        using var destination = new MemoryStream();
        using var readOnly = new MemoryStream([], writable: false);

        await Assert.ThrowsAsync<ArgumentNullException>("resultUrl", () => client.DownloadResultAsync(null!, destination));
        Assert.Contains("relative", (await Assert.ThrowsAsync<ArgumentException>("resultUrl", () => client.DownloadResultAsync(new Uri("/r.png", UriKind.Relative), destination))).Message, StringComparison.Ordinal);
        Assert.Contains("'ftp'", (await Assert.ThrowsAsync<ArgumentException>("resultUrl", () => client.DownloadResultAsync(new Uri("ftp://results.storage.test/r.png"), destination))).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentNullException>("destination", () => client.DownloadResultAsync(new Uri(Link), null!));
        await Assert.ThrowsAsync<ArgumentException>("destination", () => client.DownloadResultAsync(new Uri(Link), readOnly));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("options", () => client.DownloadResultAsync(new Uri(Link), destination, new TryOnDownloadOptions { MaxBytes = 0 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("options", () => client.DownloadResultAsync(new Uri(Link), destination, new TryOnDownloadOptions { MaxBytes = int.MaxValue + 1L }));
        await Assert.ThrowsAsync<ArgumentNullException>("path", () => client.DownloadResultToFileAsync(new Uri(Link), null!));
        await Assert.ThrowsAsync<ArgumentException>("path", () => client.DownloadResultToFileAsync(new Uri(Link), " "));
        await Assert.ThrowsAsync<ArgumentNullException>("job", () => client.DownloadResultsAsync(null!, _folder));
        var job = new TryOnJob("rk", [new TryOnTaskResult(3, TryOnTaskStatus.Succeeded, [new Uri(Link), new Uri("r.png", UriKind.Relative)])]);
        Assert.Contains("job.Tasks[3].ResultUrls[1]", (await Assert.ThrowsAsync<ArgumentException>("job", () => client.DownloadResultsAsync(job, _folder))).Message, StringComparison.Ordinal);

        Assert.Empty(transport.Requests);
        Assert.False(Directory.Exists(_folder));
    }

    [Fact]
    public async Task A_download_is_traced_without_the_links_signature()
    {
        using var capture = new ActivityCapture();
        var transport = Transport((_, _) => Ok(Image(42)));

        await Client(transport).DownloadResultAsync(new Uri(Link), new MemoryStream());

        var span = capture.Single("TryOn download");
        Assert.Equal("https://results.storage.test/rk/0/0.png", span.GetTagItem("url.full"));
        Assert.Equal("GET", span.GetTagItem("http.request.method"));
        Assert.Equal(42L, span.GetTagItem("alitryon.download.bytes"));
    }

    [Theory]
    [InlineData("image/png", ".png")]
    [InlineData("IMAGE/PNG", ".png")]
    [InlineData("image/jpeg", ".jpg")]
    [InlineData("image/jpg", ".jpg")]
    [InlineData("image/webp", ".webp")]
    [InlineData("image/gif", ".gif")]
    [InlineData("image/avif", ".avif")]
    [InlineData("image/svg+xml", ".svg")]
    [InlineData("image/x-icon", ".ico")]
    [InlineData("image/JXL", ".jxl")]
    [InlineData("image/vnd.weird+thing", ".img")]
    public void Extensions_come_from_the_content_type(string mediaType, string extension) =>
        Assert.Equal(extension, ImageContentTypes.ExtensionOf(mediaType));

    [Theory]
    [InlineData("93be295cc7354d59bb6c3d12120f66c0")]
    [InlineData("a-b_c.d")]
    [InlineData("az09z")] // the ends of the ranges kept
    public void Result_keys_made_of_safe_characters_are_file_names_as_they_are(string resultKey) =>
        Assert.Equal(resultKey, ResultFileNames.SafeKey(resultKey));

    [Theory]
    [InlineData("../../etc/passwd", "_.._etc_passwd")]
    [InlineData("a b/c\\d:e*f", "a_b_c_d_e_f")]
    [InlineData("..", "job")]
    [InlineData("", "job")]
    [InlineData(".hidden", "hidden")]
    [InlineData("93BE295C", "93BE295C")]
    [InlineData("AZ", "AZ")] // capitals are kept, and hashed
    public void Result_keys_with_other_characters_become_safe_file_names_ending_with_their_hash(string resultKey, string stem)
    {
        var safe = ResultFileNames.SafeKey(resultKey);

        // The stem, '-', then the first 8 hex digits of the SHA-256 of the key as given (UTF-8).
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(resultKey)))[..8];
        Assert.Equal($"{stem}-{hash}", safe);
    }

    [Fact]
    public void Result_keys_that_differ_only_where_they_were_made_safe_or_cut_have_different_file_names()
    {
        var longKey = new string('k', 150);
        string[] keys = ["a/b", "a:b", "a_b", "Ab", "AB", "ab", longKey + "1", longKey + "2", new string('k', 100), "..x", ".x", "x"];

        var names = keys.Select(ResultFileNames.SafeKey).ToList();

        Assert.Equal(keys.Length, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(names, name => Assert.InRange(name.Length, 1, 100));
        Assert.All(names, name => Assert.Matches("^[A-Za-z0-9_-][A-Za-z0-9._-]*$", name));
        Assert.Equal(new string('k', 100), names[8]);

        // A changed key is cut so that its name, with '-' and the hash, is 100 characters at most, and uses them all.
        Assert.Equal(100, ResultFileNames.SafeKey(new string('k', 95) + "/").Length);
        Assert.StartsWith(new string('k', 91) + "-", ResultFileNames.SafeKey(new string('k', 95) + "/"), StringComparison.Ordinal);
    }

    private static void AssertNoCredentials(RecordedRequest request)
    {
        Assert.DoesNotContain(request.Headers.Keys, h => h.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(request.Headers.Keys, h => h.StartsWith("X-Ca-", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(request.Headers.Values.SelectMany(v => v), v => v.Contains(TestOptions.AppCode, StringComparison.Ordinal));
    }

    private static HttpResponseMessage WithRetryAfter(HttpResponseMessage response, int seconds)
    {
        response.Headers.TryAddWithoutValidation("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return response;
    }

    /// <summary>
    /// For tests of a body streamed in real time: the fake clock moves on while it is read, and a time limit would
    /// cut it off. Only the backoff's timers remain, so a day of fake time costs nothing but bounds a hang.
    /// </summary>
    private static void NoTimeLimits(TryOnClientOptions options)
    {
        options.AttemptTimeout = Timeout.InfiniteTimeSpan;
        options.TotalTimeout = Timeout.InfiniteTimeSpan;
    }

    private RecordingHandler Transport(Func<RecordedRequest, int, HttpResponseMessage?> respond) => new(respond) { Clock = _time };

    private TryOnClient Client(RecordingHandler transport, Action<TryOnClientOptions>? configure = null) =>
        new(TestOptions.Create(configure), transport, _time);
}
