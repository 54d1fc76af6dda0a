using AliTryOn.Cli.Tests.TestSupport;
using AliTryOn.Testing;

namespace AliTryOn.Cli.Tests.EndToEnd;

/// <summary>The tool over real sockets: credentials and endpoint from the environment or a config file, as a user sets them.</summary>
public sealed class LoopbackTests(LoopbackEmulator server) : IClassFixture<LoopbackEmulator>, IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Submit_wait_and_download_with_an_appcode_from_the_environment()
    {
        _cli.Environment["ALITRYON_ENDPOINT"] = server.Address.AbsoluteUri;
        _cli.Environment["ALITRYON_APPCODE"] = LoopbackEmulator.AppCode;

        var submit = await _cli.RunAsync("submit", "--model", "https://example.com/m.jpg", "--upper", "https://example.com/s.jpg");
        Assert.Equal(0, submit.ExitCode);
        var key = submit.StdOut.Trim();

        var wait = await _cli.RunAsync("wait", key, "--json");
        Assert.Equal(0, wait.ExitCode);
        Assert.Equal(1, wait.Json().GetProperty("succeeded").GetInt32());

        var download = await _cli.RunAsync("download", key, "--output", _folder.Path);
        Assert.Equal(0, download.ExitCode);
        Assert.Equal(2, Directory.GetFiles(_folder.Path, "*.png").Length);

        var requests = server.Emulator.Requests.Where(r => r.ResultKey == key).ToArray();
        Assert.Contains(requests, r => r.Operation == TryOnEmulatorOperation.Submit);
        Assert.Contains(requests, r => r.Operation == TryOnEmulatorOperation.DownloadResult);
        foreach (var result in new[] { submit, wait, download })
        {
            Assert.DoesNotContain(LoopbackEmulator.AppCode, result.AllOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Run_signed_with_an_appkey_and_appsecret_from_a_config_file()
    {
        var config = _folder.File("tryon.json");
        File.WriteAllText(config, $$"""
            { "AliTryOn": { "Endpoint": "{{server.Address.AbsoluteUri}}", "AppKey": "{{LoopbackEmulator.AppKey}}", "AppSecret": "{{LoopbackEmulator.AppSecret}}" } }
            """);
        var manifest = _folder.File("m.csv");
        File.WriteAllLines(manifest, ["model,upper,mode", "https://example.com/m.jpg,https://example.com/s.jpg,quality"]);

        var result = await _cli.RunAsync("run", manifest, "--config", config, "--output", _folder.File("out"), "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1, result.Json().GetProperty("succeeded").GetInt32());
        Assert.True(File.Exists(Path.Combine(_folder.File("out"), "row1-0.png")));
        Assert.DoesNotContain(LoopbackEmulator.AppSecret, result.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_appcode_is_an_authentication_error_that_does_not_show_it()
    {
        _cli.Environment["AliTryOn__Endpoint"] = server.Address.AbsoluteUri;
        _cli.Environment["AliTryOn__AppCode"] = "wrong-secret-appcode-0815";

        var result = await _cli.RunAsync("query", "0123456789abcdef0123456789abcdef", "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("TryOnAuthenticationException", result.Json().GetProperty("error").GetProperty("type").GetString());
        Assert.DoesNotContain("wrong-secret-appcode-0815", result.AllOutput, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
