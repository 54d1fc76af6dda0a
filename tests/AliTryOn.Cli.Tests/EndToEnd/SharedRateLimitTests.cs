using AliTryOn.Cli.Tests.TestSupport;
using StackExchange.Redis;

namespace AliTryOn.Cli.Tests.EndToEnd;

/// <summary>
/// Runs that share their AppCode's rate through Redis (<c>AliTryOn:RateLimit:Redis</c>), over real sockets: the emulator
/// served on loopback, and a real Redis server.
/// </summary>
public sealed class SharedRateLimitTests(RedisAndLoopbackEmulator servers) : IClassFixture<RedisAndLoopbackEmulator>, IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task A_run_takes_its_permits_from_the_redis_its_settings_name()
    {
        _cli.Environment["ALITRYON_ENDPOINT"] = servers.Service.Address.AbsoluteUri;
        _cli.Environment["ALITRYON_APPCODE"] = LoopbackEmulator.AppCode;
        _cli.Environment["AliTryOn__RateLimit__RequestsPerSecond"] = "50";
        _cli.Environment["AliTryOn__RateLimit__Redis"] = servers.Redis.Configuration;
        var manifest = _folder.File("m.csv");
        File.WriteAllLines(manifest, ["model,upper", "https://example.com/m.jpg,https://example.com/s.jpg"]);
        using var redis = await ConnectionMultiplexer.ConnectAsync(servers.Redis.Configuration + ",allowAdmin=true");
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        // A first run in this process compiles the code of an ask as it makes it, which on a busy machine may take longer
        // than the half second an ask has (its calls then keep the rate on their own, as designed): counted from the second.
        Assert.Equal(0, (await _cli.RunAsync("run", manifest, "--output", _folder.File("warm"), "--json")).ExitCode);
        await server.ConfigResetStatisticsAsync();
        var before = servers.Service.Emulator.Requests.Count;

        var result = await _cli.RunAsync("run", manifest, "--output", _folder.File("out"), "--json");

        Assert.Equal(0, result.ExitCode);
        var calls = servers.Service.Emulator.Requests.Skip(before).Count(r => r.Operation is Testing.TryOnEmulatorOperation.Submit or Testing.TryOnEmulatorOperation.Query);
        // Each call took its permit by a script in Redis (the limit's key itself expires a second after the last call).
        var scripts = (await server.InfoAsync("commandstats"))
            .SelectMany(group => group)
            .Where(stat => stat.Key is "cmdstat_eval" or "cmdstat_evalsha")
            .Sum(stat => int.Parse(stat.Value.Split(',')[0].Split('=')[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(calls >= 2);
        Assert.Equal(calls, scripts);
        Assert.DoesNotContain(servers.Redis.Password, result.AllOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(LoopbackEmulator.AppCode, result.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redis_setting_that_cannot_work_stops_the_tool_naming_the_key_and_quoting_none_of_it()
    {
        _cli.Environment["ALITRYON_ENDPOINT"] = servers.Service.Address.AbsoluteUri;
        _cli.Environment["ALITRYON_APPCODE"] = LoopbackEmulator.AppCode;
        _cli.Environment["AliTryOn__RateLimit__Redis"] = "localhost:6379,password=SENTINEL-cli-redis-pw,nosuchoption=1";

        var result = await _cli.RunAsync("query", "0123456789abcdef0123456789abcdef");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("AliTryOn:RateLimit:Redis: The Redis configuration string is not one StackExchange.Redis reads", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("SENTINEL", result.AllOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", result.AllOutput, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
