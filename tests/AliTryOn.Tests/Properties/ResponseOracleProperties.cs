using AliTryOn.Tests.TestSupport;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AliTryOn.Tests.Properties;

/// <summary>
/// Generated answers (status × body code × gateway message × body shape, for a submit and a query) through the whole
/// client on a fake clock: the exception the caller gets and the attempts the service sees must be those of
/// <see cref="ResponseOracle"/>, an independent table, not merely "a job or some TryOnException".
/// </summary>
public class ResponseOracleProperties
{
    private const int MaxRetries = 1;

    private static readonly Gen<OracleCase> Cases =
        from op in Gen.Elements(OracleCase.Operation.Submit, OracleCase.Operation.Query)
        from status in Gen.Elements(200, 201, 204, 301, 302, 304, 400, 401, 403, 404, 405, 408, 409, 413, 415, 418, 429, 500, 501, 502, 503, 504, 599)
        from code in Gen.Frequency(
            (2, Gen.Constant<string?>(null)),
            (2, Gen.Constant<string?>("0")),
            (5, Gen.Elements(ResponseOracle.Codes.Keys.ToArray()).Select(static c => (string?)c)),
            (1, Gen.Elements<string?>("23599999", "E_SOMETHING_NEW")),
            (1, Gen.Elements<string?>("0.0", "-0", "23500004.0", "2.3500008E7", "23500011.0")))
        from codeAsNumber in Gen.Elements(false, true)
        from message in Gen.Frequency(
            (3, Gen.Constant<string?>(null)),
            (4, Gen.Elements(ResponseOracle.GatewayMessages.Keys.ToArray()).Select(static m => (string?)m)),
            (1, Gen.Constant<string?>("Some Future Gateway Error")))
        from shape in Gen.Elements(Enum.GetValues<OracleCase.Body>())
        select new OracleCase(op, status, code, codeAsNumber && double.TryParse(code, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _), message, shape);

    [Property(MaxTest = 2000)]
    public Property Every_answer_ends_in_the_exception_and_the_attempts_the_oracle_gives() =>
        Prop.ForAll(Arb.From(Cases), static c => EndsAsTheOracleSays(c));

    /// <summary>The same table, row by row, for the gateway's messages with a status that alone would map elsewhere.</summary>
    public static TheoryData<string, int> GatewayMessagesWithMisleadingStatuses()
    {
        var data = new TheoryData<string, int>();
        foreach (var (message, type) in ResponseOracle.GatewayMessages)
        {
            foreach (var status in new[] { 400, 401, 403, 404, 500, 503 }.Where(s => ResponseOracle.ByStatus(s) != type))
            {
                data.Add(message, status);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GatewayMessagesWithMisleadingStatuses))]
    public async Task A_gateway_message_decides_the_exception_whatever_the_status(string message, int status)
    {
        foreach (var op in Enum.GetValues<OracleCase.Operation>())
        {
            foreach (var shape in new[] { OracleCase.Body.Empty, OracleCase.Body.Html })
            {
                var verdict = await EndsAsTheOracleSaysAsync(new OracleCase(op, status, null, false, message, shape));
                Assert.True(verdict.Passed, verdict.Why);
            }
        }
    }

    private static bool EndsAsTheOracleSays(OracleCase c)
    {
        // FsCheck runs a property synchronously; the client runs on a fake clock driven off this thread.
        var verdict = Task.Run(() => EndsAsTheOracleSaysAsync(c)).GetAwaiter().GetResult();
        return verdict.Passed ? true : throw new Xunit.Sdk.XunitException(verdict.Why);
    }

    private static async Task<(bool Passed, string Why)> EndsAsTheOracleSaysAsync(OracleCase c)
    {
        var expected = ResponseOracle.Expect(c, MaxRetries);
        var time = new ObservedFakeTimeProvider();
        var transport = new RecordingHandler((_, _) => c.ToResponse()) { Clock = time };
        var client = new TryOnClient(TestOptions.Create(o =>
        {
            o.Retry.MaxRetries = MaxRetries;
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(10);
            o.Retry.MaxDelay = TimeSpan.FromMilliseconds(10);
            o.TotalTimeout = Timeout.InfiniteTimeSpan;
        }), transport, time);

        Type? got;
        try
        {
            var call = c.Op == OracleCase.Operation.Submit ? client.SubmitAsync(TestOptions.Task()) : client.QueryAsync("rk");
            var job = await FakeClock.RunAsync(time, call, TimeSpan.FromMinutes(1));
            got = job.ResultKey == "rk" ? null : typeof(InvalidOperationException);
        }
        catch (Exception exception)
        {
            got = exception.GetType();
        }

        var attempts = transport.Requests.Count;
        return got == expected.Exception && attempts == expected.Attempts
            ? (true, string.Empty)
            : (false, $"{c}: expected {expected.Exception?.Name ?? "a job"} after {expected.Attempts} attempt(s), got {got?.Name ?? "a job"} after {attempts}");
    }
}
