using System.Net;
using System.Text;
using AliTryOn.Tests.TestSupport;

namespace AliTryOn.Tests.Errors;

/// <summary>Every response becomes a job or a typed exception: the spec's status table and the gateway's headers.</summary>
public class ErrorMappingTests
{
    /// <summary>Every row of the spec's status table: HTTP status, code, message, expected exception and retryability.</summary>
    public static TheoryData<int, string, string, Type, bool> StatusTable => new()
    {
        { 500, "23500000", "Internal server error", typeof(TryOnServiceException), true },
        { 401, "23500001", "Authorization required to perform current operation", typeof(TryOnAuthenticationException), false },
        { 404, "23500002", "Specified service does not exist", typeof(TryOnOperationNotSupportedException), false },
        { 403, "23500003", "User credit points are exhausted", typeof(TryOnQuotaExceededException), false },
        { 403, "23500004", "Request was denied due to request throttling", typeof(TryOnThrottledException), true },
        { 403, "23500005", "The image did not pass the content compliance check", typeof(TryOnContentRejectedException), false },
        { 400, "23500006", "The image url provided is invalid or non-accessible", typeof(TryOnImageUnreachableException), false },
        { 400, "23500007", "The uploaded image does not meet the requirements", typeof(TryOnInvalidImageException), false },
        { 400, "23500008", "No records found related to the specified resultKey parameter", typeof(TryOnJobNotFoundException), false },
        { 400, "23500009", "Required parameters cannot be empty", typeof(TryOnInvalidRequestException), false },
        { 500, "23500011", "Job execution failed", typeof(TryOnJobFailedException), false },
        { 400, "23500012", "Required request body is missing", typeof(TryOnInvalidRequestException), false },
        { 400, "23500013", "Illegal input parameter found", typeof(TryOnInvalidRequestException), false },
        { 400, "23500014", "Illegal service name", typeof(TryOnInvalidRequestException), false },
    };

    [Theory]
    [MemberData(nameof(StatusTable))]
    public async Task Each_documented_code_with_its_http_status_maps_to_its_exception(int status, string code, string message, Type expected, bool retryable)
    {
        var error = await QueryExpectingError((HttpStatusCode)status, Json.Error(code, message));

        Assert.IsType(expected, error);
        Assert.Equal(status, error.Status);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(message, error.Details.ErrorMessage);
        Assert.Equal("req-err", error.RequestId);
        Assert.Equal(retryable, error.IsRetryable);
        Assert.Contains(code, error.Details.RawBody, StringComparison.Ordinal);
        Assert.Contains(code, error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(StatusTable))]
    public async Task Each_documented_code_in_an_http_200_with_success_false_maps_the_same_way(int status, string code, string message, Type expected, bool retryable)
    {
        _ = status;
        _ = retryable;
        var error = await QueryExpectingError(HttpStatusCode.OK, Json.Error(code, message, codeAsNumber: int.Parse(code, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.IsType(expected, error);
        Assert.Equal(200, error.Status);
        Assert.Equal(code, error.ErrorCode);
    }

    public static TheoryData<int, string, Type> GatewayMessages => new()
    {
        { 403, "Throttled by USER Flow Control", typeof(TryOnThrottledException) },
        { 403, "Throttled by APP Flow Control", typeof(TryOnThrottledException) },
        { 403, "Throttled by API Flow Control", typeof(TryOnThrottledException) },
        { 403, "Throttled by DOMAIN Flow Control", typeof(TryOnThrottledException) },
        { 403, "Quota Exhausted", typeof(TryOnQuotaExceededException) },
        { 403, "Quota Expired", typeof(TryOnQuotaExceededException) },
        { 403, "Expiry of Authorization", typeof(TryOnQuotaExceededException) },
        { 403, "User Arrears", typeof(TryOnQuotaExceededException) },
        { 403, "Unauthorized", typeof(TryOnAuthenticationException) },
        { 400, "Invalid AppCode", typeof(TryOnAuthenticationException) },
        { 400, "Invalid AppCode `not exists`", typeof(TryOnAuthenticationException) },
        { 400, "Invalid Url", typeof(TryOnOperationNotSupportedException) },
        { 400, "Invalid Domain", typeof(TryOnOperationNotSupportedException) },
        { 400, "Invalid Param Location", typeof(TryOnInvalidRequestException) },
        { 400, "Invalid AppKey", typeof(TryOnAuthenticationException) },
        { 400, "Timestamp Expired", typeof(TryOnAuthenticationException) },
        { 400, "Invalid Timestamp", typeof(TryOnAuthenticationException) },
        { 400, "Invalid Content-MD5", typeof(TryOnAuthenticationException) },
        { 400, "Invalid AppSecret", typeof(TryOnAuthenticationException) },
        { 400, "Nonce Used", typeof(TryOnAuthenticationException) },
        { 404, "API Not Found", typeof(TryOnOperationNotSupportedException) },
        { 400, "Invalid Signature, Server StringToSign:`POST\n\n\napplication/json\n\n/api/v2/tryon/submit`", typeof(TryOnAuthenticationException) },
        { 401, "Empty Signature", typeof(TryOnAuthenticationException) },
        { 500, "Internal Error", typeof(TryOnServiceException) },
        { 500, "Failed To Invoke Backend Service", typeof(TryOnServiceException) },
        { 503, "Service Unavailable", typeof(TryOnServiceException) },
        { 504, "Async Service", typeof(TryOnServiceException) },
    };

    [Theory]
    [MemberData(nameof(GatewayMessages))]
    public async Task Each_gateway_error_message_with_an_empty_body_maps_to_its_exception(int status, string gatewayMessage, Type expected)
    {
        var error = await QueryExpectingError(req =>
        {
            var response = new HttpResponseMessage((HttpStatusCode)status);
            response.Headers.TryAddWithoutValidation("X-Ca-Error-Message", gatewayMessage.Replace("\n", "\\n", StringComparison.Ordinal));
            response.Headers.TryAddWithoutValidation("X-Ca-Error-Code", "I" + status + "XX");
            response.Headers.TryAddWithoutValidation("X-Ca-Request-Id", "gw-req-1");
            return response;
        });

        Assert.IsType(expected, error);
        Assert.Equal(status, error.Status);
        Assert.Null(error.ErrorCode);
        Assert.Equal("I" + status + "XX", error.Details.GatewayErrorCode);
        Assert.StartsWith(gatewayMessage.Split('\n')[0], error.Details.GatewayErrorMessage, StringComparison.Ordinal);
        Assert.Equal("gw-req-1", error.RequestId);
        Assert.Null(error.Details.RawBody);
        Assert.Contains("gw-req-1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_code_wins_over_http_status()
    {
        var error = await QueryExpectingError(HttpStatusCode.InternalServerError, Json.Error("23500004", "throttled"));

        Assert.IsType<TryOnThrottledException>(error);
        Assert.Equal(500, error.Status);
    }

    [Fact]
    public async Task Body_code_wins_over_a_gateway_message()
    {
        var error = await QueryExpectingError(_ =>
        {
            var response = RecordingHandler.Response(HttpStatusCode.Forbidden, Json.Error("23500003", "User credit points are exhausted"));
            response.Headers.TryAddWithoutValidation("X-Ca-Error-Message", "Throttled by APP Flow Control");
            return response;
        });

        Assert.IsType<TryOnQuotaExceededException>(error);
        Assert.Equal("Throttled by APP Flow Control", error.Details.GatewayErrorMessage);
    }

    [Fact]
    public async Task Success_true_with_a_non_zero_code_is_an_error()
    {
        var error = await QueryExpectingError(HttpStatusCode.OK, Json.Error("23500008", "No records found", success: true));

        Assert.IsType<TryOnJobNotFoundException>(error);
    }

    [Fact]
    public async Task Success_false_without_a_code_is_an_error_not_a_job()
    {
        var error = await QueryExpectingError(HttpStatusCode.OK, """{"success":false,"message":"something went wrong","data":{"result_key":"k","task_list":[]}}""");

        Assert.Equal(typeof(TryOnException), error.GetType());
        Assert.Equal("something went wrong", error.Details.ErrorMessage);
        Assert.False(error.IsRetryable);
    }

    [Theory]
    [InlineData("0.0")]
    [InlineData("\"0.0\"")]
    [InlineData("0e0")]
    [InlineData("-0")]
    [InlineData("\" 0 \"")]
    public async Task A_success_code_written_as_any_JSON_form_of_zero_is_a_success(string code)
    {
        // Decision 2 of the contract: a number or a numeric string, in whatever form a JSON writer prints zero.
        var client = new TryOnClient(TestOptions.Create(), new RecordingHandler(HttpStatusCode.OK, $$$"""{"code":{{{code}}},"success":true,"message":"success","data":{"result_key":"k","task_list":[{"status":"RUNNING"}]}}"""));

        var job = await client.QueryAsync("k");

        Assert.Equal("k", job.ResultKey);
    }

    [Theory]
    [InlineData("23500004.0", typeof(TryOnThrottledException))]
    [InlineData("2.3500004E7", typeof(TryOnThrottledException))]
    [InlineData("\"23500008.0\"", typeof(TryOnJobNotFoundException))]
    [InlineData("23500007.5", typeof(TryOnException))] // not a whole number: no code of the table
    public async Task An_error_code_written_as_a_non_integer_JSON_number_is_the_same_code(string code, Type expected)
    {
        var error = await QueryExpectingError(HttpStatusCode.OK, $$"""{"code":{{code}},"success":false,"message":"m"}""");

        Assert.Equal(expected, error.GetType());
        Assert.Equal(code.Trim('"'), error.ErrorCode); // carried as the service wrote it
    }

    [Fact]
    public async Task A_query_error_names_the_job_queried_not_one_its_body_names()
    {
        var client = new TryOnClient(TestOptions.Create(), new RecordingHandler((_, _) => RecordingHandler.Response(
            HttpStatusCode.BadRequest, """{"code":"23500008","success":false,"message":"No records","data":{"result_key":"other"}}""")));

        var error = await Assert.ThrowsAsync<TryOnJobNotFoundException>(() => client.QueryAsync("mine"));

        Assert.Equal("mine", error.ResultKey);
    }

    [Fact]
    public async Task A_refused_submit_names_no_job_even_when_its_body_has_a_result_key()
    {
        var client = new TryOnClient(TestOptions.Create(), new RecordingHandler((_, _) => RecordingHandler.Response(
            HttpStatusCode.BadRequest, """{"code":"23500006","success":false,"message":"bad url","data":{"result_key":"rk-echo"}}""")));

        var error = await Assert.ThrowsAsync<TryOnImageUnreachableException>(() => client.SubmitAsync(TestOptions.Task()));

        Assert.Null(error.ResultKey); // refused outright: no job
    }

    [Fact]
    public async Task Unknown_code_falls_back_to_the_base_type_and_keeps_the_code()
    {
        var error = await QueryExpectingError(HttpStatusCode.InternalServerError, Json.Error("23599999", "Something new"));

        Assert.Equal(typeof(TryOnException), error.GetType());
        Assert.Equal("23599999", error.ErrorCode);
        Assert.Equal("Something new", error.Details.ErrorMessage);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public async Task Unknown_gateway_message_falls_back_to_the_http_status()
    {
        var error = await QueryExpectingError(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            response.Headers.TryAddWithoutValidation("X-Ca-Error-Message", "Some Future Gateway Error");
            return response;
        });

        Assert.IsType<TryOnServiceException>(error);
        Assert.Equal("Some Future Gateway Error", error.Details.GatewayErrorMessage);
    }

    [Theory]
    [InlineData(1023)]
    [InlineData(1024)]
    [InlineData(1025)]
    public async Task An_error_page_is_kept_whole_up_to_1024_bytes_and_cut_there_beyond(int length)
    {
        var page = "<html>" + new string('x', length - 13) + "</html>";

        var error = await QueryExpectingError(_ => RecordingHandler.Response(HttpStatusCode.BadGateway, page, "text/html"));

        Assert.Equal(length, page.Length);
        // Beyond the limit the excerpt ends with an ellipsis, so it is never taken for the whole body.
        Assert.Equal(length <= 1024 ? page : page[..1024] + "…", error.Details.RawBody);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task Html_error_pages_give_a_typed_exception_with_the_page_excerpt(HttpStatusCode status)
    {
        const string html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>Bad Gateway</h1></center></body></html>";

        var error = await QueryExpectingError(_ => RecordingHandler.Response(status, html, "text/html"));

        Assert.IsType<TryOnServiceException>(error);
        Assert.Equal(html, error.Details.RawBody);
        Assert.True(error.IsRetryable);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, typeof(TryOnAuthenticationException))]
    [InlineData(HttpStatusCode.NotFound, typeof(TryOnOperationNotSupportedException))]
    [InlineData(HttpStatusCode.BadRequest, typeof(TryOnInvalidRequestException))]
    [InlineData((HttpStatusCode)429, typeof(TryOnThrottledException))]
    [InlineData(HttpStatusCode.InternalServerError, typeof(TryOnServiceException))]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, typeof(TryOnInvalidRequestException))] // the gateway's I413RL
    [InlineData(HttpStatusCode.UnsupportedMediaType, typeof(TryOnInvalidRequestException))]
    [InlineData(HttpStatusCode.MethodNotAllowed, typeof(TryOnOperationNotSupportedException))]
    [InlineData(HttpStatusCode.Forbidden, typeof(TryOnException))]
    [InlineData(HttpStatusCode.Conflict, typeof(TryOnException))]
    [InlineData((HttpStatusCode)418, typeof(TryOnException))]
    public async Task Empty_bodies_without_gateway_headers_map_by_http_status(HttpStatusCode status, Type expected)
    {
        var error = await QueryExpectingError(_ => new HttpResponseMessage(status));

        Assert.Equal(expected, error.GetType());
        Assert.Equal((int)status, error.Status);
        Assert.Null(error.Details.RawBody);
    }

    [Fact]
    public async Task Malformed_json_in_an_error_gives_a_typed_exception_not_a_json_exception()
    {
        var error = await QueryExpectingError(HttpStatusCode.InternalServerError, """{"code": 23500000, "message": "trunc""");

        Assert.IsType<TryOnServiceException>(error);
        Assert.StartsWith("{\"code\"", error.Details.RawBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("<html>ok</html>", "not the JSON the service sends")]
    [InlineData("""{"code":0,"success":true,"data":{"task_list":[]}}""", "result_key")]
    [InlineData("""{"code":0,"success":true}""", "result_key")]
    [InlineData("""{"code":0,"success":tru""", "not the JSON the service sends")]
    public async Task An_unreadable_success_response_is_a_typed_error_naming_the_problem(string body, string reason)
    {
        var error = await QueryExpectingError(HttpStatusCode.OK, body);

        Assert.IsType<TryOnInvalidResponseException>(error);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(200, error.Status);
    }

    [Fact]
    public async Task A_success_body_after_a_utf8_byte_order_mark_is_read()
    {
        var body = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Json.Job("rk-bom", "SUCCESS"))).ToArray();
        var client = new TryOnClient(TestOptions.Create(o => o.Retry.MaxRetries = 0), new RecordingHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new ByteArrayContent(body),
        }));

        var job = await client.QueryAsync("rk-bom");

        Assert.Equal("rk-bom", job.ResultKey);
        Assert.Equal(TryOnTaskStatus.Succeeded, Assert.Single(job.Tasks).Status);
    }

    [Fact]
    public async Task Raw_body_is_cut_at_1_KiB_on_a_character_boundary()
    {
        var message = string.Concat(Enumerable.Repeat("图片", 600)); // 3 bytes each in UTF-8
        var error = await QueryExpectingError(HttpStatusCode.BadRequest, Json.Error("23500013", message));

        var raw = error.Details.RawBody!;
        Assert.EndsWith("…", raw, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(raw[..^1]) <= 1024);
        Assert.True(Encoding.UTF8.GetByteCount(raw[..^1]) > 1020);
        Assert.DoesNotContain('\uFFFD', raw);
        Assert.Equal(message, error.Details.ErrorMessage);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Bodies_over_1_MiB_are_refused_with_or_without_a_content_length(bool declareLength)
    {
        var huge = new string('x', (1024 * 1024) + 1);
        var error = await QueryExpectingError(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK);
            response.Content = declareLength ? new StringContent(huge) : new StreamContent(new NonSeekableStream(Encoding.ASCII.GetBytes(huge)));
            return response;
        });

        Assert.IsType<TryOnInvalidResponseException>(error);
        Assert.Contains("1048576 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_of_exactly_1_MiB_without_content_length_is_read()
    {
        var prefix = """{"code":0,"success":true,"data":{"result_key":"k","task_list":[{"status":"WAITING"}]},"pad":" """;
        var body = prefix + new string(' ', (1024 * 1024) - prefix.Length - 2) + "\"}";
        var client = new TryOnClient(TestOptions.Create(o => o.Retry.MaxRetries = 0), new RecordingHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new NonSeekableStream(Encoding.ASCII.GetBytes(body))),
        }));

        var job = await client.QueryAsync("k");

        Assert.Equal(1024 * 1024, Encoding.ASCII.GetByteCount(body));
        Assert.Equal("k", job.ResultKey);
    }

    [Theory]
    [InlineData("5", 5)]
    [InlineData("120", 120)]
    public async Task Throttling_carries_retry_after(string header, int seconds)
    {
        var error = await QueryExpectingError(_ =>
        {
            var response = RecordingHandler.Response(HttpStatusCode.Forbidden, Json.Error("23500004", "throttled"));
            response.Headers.TryAddWithoutValidation("Retry-After", header);
            return response;
        });

        Assert.Equal(TimeSpan.FromSeconds(seconds), Assert.IsType<TryOnThrottledException>(error).RetryAfter);
    }

    [Fact]
    public async Task The_body_s_request_id_wins_over_the_gateway_s_and_header_values_are_trimmed_or_dropped_when_blank()
    {
        var both = await QueryExpectingError(_ =>
        {
            var response = RecordingHandler.Response(HttpStatusCode.BadRequest, """{"code":"23500013","message":"Illegal input parameter found","requestId":"body-1"}""");
            response.Headers.TryAddWithoutValidation("X-Ca-Request-Id", "gw-1");
            return response;
        });
        var padded = await QueryExpectingError(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.BadRequest);
            response.Headers.TryAddWithoutValidation("X-Ca-Request-Id", "  gw-2  ");
            response.Headers.TryAddWithoutValidation("X-Ca-Error-Code", "   ");
            return response;
        });

        Assert.Equal("body-1", both.RequestId);
        Assert.Equal("gw-2", padded.RequestId);
        Assert.Null(padded.Details.GatewayErrorCode);
    }

    [Theory]
    [InlineData("#")]
    [InlineData("`")]
    [InlineData(",")]
    [InlineData(" ")]
    public async Task A_nonce_quoted_by_the_gateway_s_signature_answer_is_masked_and_the_rest_kept(string after)
    {
        var message = $"Invalid Signature, Server StringToSign:`POST#application/json##application/json##x-ca-key:key-1#x-ca-nonce:0c1d2e3f{after}x-ca-timestamp:1700000000000#X-Ca-Nonce:9a8b7c{after}/api/v2/tryon/submit`";
        var error = await QueryExpectingError(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.BadRequest);
            response.Headers.TryAddWithoutValidation("X-Ca-Error-Message", message);
            return response;
        });

        Assert.IsType<TryOnAuthenticationException>(error);
        Assert.Equal(message.Replace("0c1d2e3f", "***", StringComparison.Ordinal).Replace("9a8b7c", "***", StringComparison.Ordinal), error.Details.GatewayErrorMessage);
        Assert.DoesNotContain("0c1d2e3f", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("9a8b7c", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_nonce_label_that_ends_the_message_after_spaces_is_masked_without_reading_past_it()
    {
        Assert.Equal("StringToSign:x-ca-nonce:  ***", AliTryOn.Http.TryOnResponseMapper.MaskNonce("StringToSign:x-ca-nonce:  "));
    }

    [Fact]
    public async Task A_nonce_written_after_a_space_is_masked_too()
    {
        var error = await QueryExpectingError(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.BadRequest);
            response.Headers.TryAddWithoutValidation("X-Ca-Error-Message", "Invalid Signature, Server StringToSign:x-ca-nonce:  7e7e7e#x-ca-timestamp:1");
            return response;
        });

        Assert.Equal("Invalid Signature, Server StringToSign:x-ca-nonce:  ***#x-ca-timestamp:1", error.Details.GatewayErrorMessage);
        Assert.DoesNotContain("7e7e7e", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nonce_at_the_very_end_of_the_gateway_s_message_is_masked()
    {
        var error = await QueryExpectingError(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.BadRequest);
            response.Headers.TryAddWithoutValidation("X-Ca-Error-Message", "Invalid Signature, Server StringToSign:x-ca-nonce:5f5f5f");
            return response;
        });

        Assert.Equal("Invalid Signature, Server StringToSign:x-ca-nonce:***", error.Details.GatewayErrorMessage);
    }

    [Theory]
    [InlineData("Ung\u00fcltig", "Ung\u00fcltig")] // Latin-1 that is not UTF-8 stays as it came
    [InlineData("caf\u00c3\u00a9", "caf\u00e9")] // UTF-8 bytes the transport read as Latin-1
    [InlineData("\u8def\u5f84", "\u8def\u5f84")] // already wide (a handler of the app's decoded it)
    [InlineData("\u01c3\u01a9", "\u01c3\u01a9")] // wide, whose low bytes alone would read as UTF-8 ("é")
    public async Task A_gateway_message_is_read_as_utf8_when_its_bytes_are_utf8(string received, string expected)
    {
        var error = await QueryExpectingError(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.BadRequest);
            response.Headers.TryAddWithoutValidation("X-Ca-Error-Message", received);
            return response;
        });

        Assert.Equal(expected, error.Details.GatewayErrorMessage);
    }

    [Theory]
    [InlineData("""{"code":0,"success":true,"data":{"result_key":"rk-named","task_li""", "It names the job 'rk-named'.")]
    [InlineData("""{"code":0,"success":true,"data":{"task_list":[]}}""", "it has no data.result_key.")]
    public async Task An_unreadable_success_names_the_job_when_it_can(string body, string says)
    {
        var error = await QueryExpectingError(HttpStatusCode.OK, body);

        Assert.Contains(says + " (HTTP 200", error.Message, StringComparison.Ordinal);
        // A query's error names the job queried, whatever its answer named (the message says what that was).
        Assert.Equal("k", ((TryOnInvalidResponseException)error).ResultKey);
        Assert.Equal(body.Contains("rk-named", StringComparison.Ordinal), error.Message.Contains("It names the job", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_large_body_of_bytes_that_are_not_utf8_is_excerpted_without_breaking()
    {
        var body = Enumerable.Repeat((byte)0x80, 3000).ToArray();
        var error = await QueryExpectingError(_ => new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new ByteArrayContent(body) });

        Assert.IsType<TryOnServiceException>(error);
        Assert.Equal(new string('\uFFFD', 1021) + "…", error.Details.RawBody); // the first KiB less a sequence's worth
    }

    [Fact]
    public async Task Request_id_falls_back_to_the_gateway_header_when_the_body_has_none()
    {
        var error = await QueryExpectingError(_ =>
        {
            var response = RecordingHandler.Response(HttpStatusCode.BadRequest, """{"code":"23500013","message":"Illegal input parameter found"}""");
            response.Headers.TryAddWithoutValidation("X-Ca-Request-Id", "gw-42");
            return response;
        });

        Assert.Equal("gw-42", error.RequestId);
    }

    [Theory]
    [MemberData(nameof(StatusTable))]
    public async Task No_exception_text_contains_the_appcode(int status, string code, string message, Type expected, bool retryable)
    {
        _ = expected;
        _ = retryable;
        var error = await QueryExpectingError((HttpStatusCode)status, Json.Error(code, message));

        Assert.DoesNotContain(TestOptions.AppCode, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(TestOptions.AppCode, error.Details.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nonce_at_the_very_start_of_the_gateway_s_message_is_masked()
    {
        var error = await QueryExpectingError(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.BadRequest);
            response.Headers.TryAddWithoutValidation("X-Ca-Error-Message", "X-Ca-Nonce:5f5f5f is used");
            return response;
        });

        Assert.Equal("X-Ca-Nonce:*** is used", error.Details.GatewayErrorMessage);
    }

    [Theory]
    [InlineData(300, typeof(TryOnRedirectException))]
    [InlineData(399, typeof(TryOnRedirectException))]
    [InlineData(400, typeof(TryOnInvalidRequestException))]
    public async Task Every_3xx_is_a_redirect_the_client_does_not_follow(int status, Type expected)
    {
        var error = await QueryExpectingError((HttpStatusCode)status, "<html>moved</html>");

        Assert.IsType(expected, error);
        Assert.Equal(status, error.Status);
    }

    [Fact]
    public async Task An_unreadable_success_keeps_why_the_json_could_not_be_read()
    {
        var error = await QueryExpectingError(HttpStatusCode.OK, """{"code":0,"success":true,"data":{"result_key":"rk-cut","task_li""");

        Assert.IsAssignableFrom<System.Text.Json.JsonException>(error.InnerException);
    }

    private static Task<TryOnException> QueryExpectingError(HttpStatusCode status, string body) =>
        QueryExpectingError(_ => RecordingHandler.Response(status, body));

    private static async Task<TryOnException> QueryExpectingError(Func<RecordedRequest, HttpResponseMessage> respond)
    {
        // No retries: these tests isolate the mapping of one response (retries are tested on their own).
        var client = new TryOnClient(TestOptions.Create(o => o.Retry.MaxRetries = 0), new RecordingHandler((request, _) => respond(request)));
        return await Assert.ThrowsAnyAsync<TryOnException>(() => client.QueryAsync("k"));
    }

    /// <summary>A stream without a length, like a chunked response.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
