using AliTryOn.Cli.Tests.TestSupport;

namespace AliTryOn.Cli.Tests.Commands;

public sealed class CredentialsTests : IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Without_credentials_the_error_names_the_environment_variables()
    {
        var result = await _cli.RunAsync("query", "0123456789abcdef0123456789abcdef", "--json");

        Assert.Equal(1, result.ExitCode);
        foreach (var variable in new[] { "ALITRYON_APPCODE", "ALITRYON_APPKEY", "ALITRYON_APPSECRET", "ALITRYON_ENDPOINT", "--config", "--emulator" })
        {
            Assert.Contains(variable, result.StdErr, StringComparison.Ordinal);
        }

        Assert.Equal("UsageError", result.Json().GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_appcode_without_an_endpoint_asks_for_the_endpoint()
    {
        _cli.Environment["AliTryOn__AppCode"] = "secret-appcode-4711";

        var result = await _cli.RunAsync("query", "0123456789abcdef0123456789abcdef");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ALITRYON_ENDPOINT", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-appcode-4711", result.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_setting_is_reported_with_its_key_and_no_secret()
    {
        _cli.Environment["ALITRYON_APPCODE"] = "secret-appcode-4711";
        _cli.Environment["ALITRYON_ENDPOINT"] = "http://api.example.com"; // http only on loopback

        var result = await _cli.RunAsync("query", "0123456789abcdef0123456789abcdef", "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'AliTryOn:Endpoint'", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("must use https", result.StdErr, StringComparison.Ordinal);
        Assert.Equal("ConfigurationError", result.Json().GetProperty("error").GetProperty("type").GetString());
        Assert.DoesNotContain("secret-appcode-4711", result.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_with_a_password_in_it_is_a_configuration_error_that_never_shows_the_password()
    {
        _cli.Environment["ALITRYON_ENDPOINT"] = "https://admin:SENTINEL-pw-5521@tryon.example.test";
        _cli.Environment["ALITRYON_APPCODE"] = "some-appcode";

        var result = await _cli.RunAsync("query", "rk", "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("ConfigurationError", result.Json().GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("user information", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("SENTINEL-pw-5521", result.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_appkey_without_its_appsecret_names_the_missing_key()
    {
        _cli.Environment["ALITRYON_APPKEY"] = "secret-appkey-4711";
        _cli.Environment["ALITRYON_ENDPOINT"] = "https://api.example.com";

        var result = await _cli.RunAsync("query", "0123456789abcdef0123456789abcdef", "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'AliTryOn:AppSecret'", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("No credentials", result.StdErr, StringComparison.Ordinal);
        Assert.Equal("ConfigurationError", result.Json().GetProperty("error").GetProperty("type").GetString());
        Assert.DoesNotContain("secret-appkey-4711", result.AllOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ALITRYON_APPCODE", "my app code", "holds a placeholder")]
    [InlineData("ALITRYON_APPCODE", "abc\t1", "contains whitespace")]
    [InlineData("ALITRYON_ENDPOINT", "http://api.example.com", "must use https")]
    public async Task A_bad_value_from_the_tools_own_variable_is_named_by_that_variable(string variable, string value, string problem)
    {
        _cli.Environment["ALITRYON_ENDPOINT"] = "https://api.example.com";
        _cli.Environment["ALITRYON_APPCODE"] = "some-appcode";
        _cli.Environment[variable] = value;
        _cli.Environment["AliTryOn__AppCode"] = "a-good-appcode"; // ALITRYON_* wins: advice to set this one would change nothing

        var result = await _cli.RunAsync("query", "0123456789abcdef0123456789abcdef", "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(problem, result.StdErr, StringComparison.Ordinal);
        Assert.Contains($"environment variable {variable}", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("AliTryOn__", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("user-secrets", result.StdErr, StringComparison.Ordinal); // the tool reads no user secrets
        Assert.DoesNotContain(value, result.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_given_as_the_config_file_says_so()
    {
        var result = await _cli.RunAsync("query", "k", "--config", _folder.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is a folder", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_misspelt_key_in_the_config_file_is_a_configuration_error_naming_the_key_meant()
    {
        // Read as nothing, the misspelt rate would let the run send as fast as it can, into the service's throttling.
        var config = _folder.File("alitryon.json");
        File.WriteAllText(config, """
            {
              "AliTryOn": {
                "Endpoint": "https://api.example.com",
                "RateLimit": { "RequestPerSecond": 2 }
              }
            }
            """);
        _cli.Environment["ALITRYON_APPCODE"] = "secret-appcode-4711";

        var result = await _cli.RunAsync("query", "0123456789abcdef0123456789abcdef", "--config", config, "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("ConfigurationError", result.Json().GetProperty("error").GetProperty("type").GetString());
        Assert.Contains(
            "Configuration key 'AliTryOn:RateLimit:RequestPerSecond' (environment variable AliTryOn__RateLimit__RequestPerSecond) is not a setting of the try-on client; "
            + "did you mean Configuration key 'AliTryOn:RateLimit:RequestsPerSecond' (environment variable AliTryOn__RateLimit__RequestsPerSecond)?",
            result.StdErr,
            StringComparison.Ordinal);
        Assert.DoesNotContain("secret-appcode-4711", result.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_outside_the_config_file_s_section_are_an_error_naming_them_and_the_app_s_own_are_left_alone()
    {
        // The wrapper forgotten: the rate limit and the endpoint would be read as nothing.
        var config = _folder.File("alitryon.json");
        File.WriteAllText(config, """
            {
              "Logging": { "LogLevel": { "Default": "Warning" } },
              "AllowedHosts": "*",
              "Endpoint": "https://api.example.com",
              "RateLimit": { "RequestsPerSecond": 2 }
            }
            """);
        _cli.Environment["ALITRYON_APPCODE"] = "secret-appcode-4711";

        var result = await _cli.RunAsync("query", "0123456789abcdef0123456789abcdef", "--config", config, "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(
            $"The config file '{config}' has Endpoint, RateLimit outside its \"AliTryOn\" section, where the tool does not read them: put the settings inside it, {{ \"AliTryOn\": {{ \"Endpoint\": … }} }}.",
            result.StdErr,
            StringComparison.Ordinal);
        Assert.DoesNotContain("Logging", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-appcode-4711", result.AllOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "AliTyrOn": { "RateLimit": { "RequestsPerSecond": 0.2 } } }""", "has a section \"AliTyrOn\", which the tool does not read: did you mean \"AliTryOn\"?")]
    [InlineData("""{ "AliTryOn": { "Endpoint": "http://127.0.0.1:1" }, "AliTryon2": { "RateLimit": { "RequestsPerSecond": 0.2 } } }""", "has a section \"AliTryon2\", which the tool does not read: did you mean \"AliTryOn\"?")]
    [InlineData("""{ "Logging": { "LogLevel": { "Default": "Warning" } } }""", "has no \"AliTryOn\" section, so the tool would read nothing from it")]
    [InlineData("{}", "has no \"AliTryOn\" section, so the tool would read nothing from it")]
    public async Task A_config_file_the_tool_would_read_nothing_from_is_an_error(string json, string problem)
    {
        // Read as nothing, a misspelt wrapper sent the run at full speed: its rate limit was never applied.
        var config = _folder.File("alitryon.json");
        File.WriteAllText(config, json);
        _cli.Environment["ALITRYON_ENDPOINT"] = "http://127.0.0.1:1";
        _cli.Environment["ALITRYON_APPCODE"] = "secret-appcode-4711";

        var result = await _cli.RunAsync("query", "rk-1", "--config", config, "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"The config file '{config}' {problem}", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_file_that_is_not_json_names_the_line_and_position_and_quotes_nothing_of_it()
    {
        var config = _folder.File("alitryon.json");
        File.WriteAllText(config, "{\n  \"AliTryOn\": {\n    \"AppCode\": s3cr3t-appcode\n  }\n}\n");

        var result = await _cli.RunAsync("query", "rk-1", "--config", config, "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"The config file '{config}' cannot be read: it is not valid JSON at line 3, position 16.", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", result.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_app_s_settings_file_with_its_own_keys_beside_the_section_is_taken_as_the_config_file()
    {
        var config = _folder.File("appsettings.json");
        File.WriteAllText(config, """{ "Logging": { "LogLevel": { "Default": "Warning" } }, "AllowedHosts": "*", "AliTryOn": { "Endpoint": "http://127.0.0.1:1" } }""");
        _cli.Environment["ALITRYON_APPCODE"] = "secret-appcode-4711";

        var result = await _cli.RunAsync("query", "rk-1", "--config", config, "--json");

        // Read, and sent: the connection to the closed port is what fails.
        Assert.Equal("TryOnConnectionException", result.Json().GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_misspelt_key_of_the_s3_host_is_an_error_naming_the_key_meant()
    {
        var config = _folder.File("alitryon.json");
        File.WriteAllText(config, """{ "AliTryOn": { "Images": { "S3": { "BucketName": "photos", "ForcePathStile": true } } } }""");

        _folder.Png("model.png", 64, 96);
        _folder.Png("top.png", 64, 64);
        File.WriteAllText(_folder.File("manifest.csv"), "model,upper\nmodel.png,top.png\n");

        var result = await _cli.RunAsync("check", "--config", config, _folder.File("manifest.csv"), "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'AliTryOn:Images:S3:ForcePathStile'", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("did you mean Configuration key 'AliTryOn:Images:S3:ForcePathStyle'", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tool_s_own_shared_rate_limit_setting_does_not_stop_a_check()
    {
        // The tool's setting, for its runs; a check sends nothing, so it registers no Redis store.
        _cli.Environment["AliTryOn__RateLimit__Redis"] = "localhost:6379";
        _cli.Environment["AliTryOn__RateLimit__RequestsPerSecond"] = "2";
        File.WriteAllText(_folder.File("manifest.csv"), "model,upper\nhttps://example.com/m.jpg,https://example.com/t.jpg\n");

        var result = await _cli.RunAsync("check", _folder.File("manifest.csv"), "--json");

        Assert.DoesNotContain("nothing keeps the rate limit in Redis", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("nothing is published or sent to the service", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("ConfigurationError", result.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tool_s_own_shared_rate_limit_setting_does_not_stop_an_emulator_command()
    {
        _cli.Environment["AliTryOn__RateLimit__Redis"] = "localhost:6379";
        _cli.Environment["AliTryOn__RateLimit__RequestsPerSecond"] = "2";

        var result = await _cli.RunAsync("query", "rk-1", "--emulator", "--json");

        Assert.DoesNotContain("nothing keeps the rate limit in Redis", result.StdErr, StringComparison.Ordinal);
        Assert.Equal("TryOnJobNotFoundException", result.Json().GetProperty("error").GetProperty("type").GetString()); // asked, and not known
    }

    [Fact]
    public async Task A_missing_config_file_is_an_error()
    {
        var result = await _cli.RunAsync("query", "k", "--config", _folder.File("nope.json"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nope.json' does not exist", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_appcode_flag_warns_and_never_echoes_its_value()
    {
        var result = await _cli.RunAsync("submit", "--appcode", "secret-appcode-4711", "--model", "https://example.com/m.jpg", "--upper", "https://example.com/s.jpg");

        Assert.Contains("warning: --appcode", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("ALITRYON_APPCODE", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-appcode-4711", result.AllOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("query", "--appcode", "secret-appcode-4711", "rk-1", "--json")]
    [InlineData("wait", "--appcode", "secret-appcode-4711", "--json")]
    [InlineData("download", "--appcode", "secret-appcode-4711", "--json")]
    [InlineData("wait", "--appcode=secret-appcode-4711", "--json")]
    [InlineData("query", "--apcode", "secret-appcode-4711", "--json")] // misspelt: its value is read as the argument
    [InlineData("query", "--apcode", "secret-appcode-4711", "rk-1", "--json")]
    public async Task An_option_value_before_the_result_key_is_never_taken_for_it_in_the_error_document(params string[] args)
    {
        _cli.Environment["ALITRYON_ENDPOINT"] = "http://127.0.0.1:1";

        var result = await _cli.RunAsync(args);

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("secret-appcode-4711", result.AllOutput, StringComparison.Ordinal);
        var key = result.Json().GetProperty("error").TryGetProperty("resultKey", out var given) ? given.GetString() : null;
        Assert.Equal(args.Contains("rk-1") && !args.Contains("--apcode") ? "rk-1" : null, key);
    }

    [Fact]
    public async Task A_response_file_that_can_be_read_only_once_keeps_the_appcode_out_of_the_command_line()
    {
        // `alitryon query @<(pass show tryon)`: the shell gives a pipe, which the tool must read once only.
        _cli.Environment["ALITRYON_ENDPOINT"] = "http://127.0.0.1:1";
        var responseFile = _folder.File("args.rsp");
        var writer = Task.CompletedTask;
        if (OperatingSystem.IsWindows())
        {
            File.WriteAllLines(responseFile, ["--appcode", "secret-appcode-4711", "rk-1"]); // no pipes there: a plain file
        }
        else
        {
            using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", responseFile))
            {
                await mkfifo.WaitForExitAsync();
            }

            writer = Task.Run(() => File.WriteAllLines(responseFile, ["--appcode", "secret-appcode-4711", "rk-1"])); // waits for the reader
        }

        var result = await _cli.RunAsync("query", "@" + responseFile, "--json").WaitAsync(TimeSpan.FromSeconds(60));
        await writer.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("TryOnConnectionException", result.Json().GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("rk-1", result.Json().GetProperty("error").GetProperty("resultKey").GetString());
        Assert.DoesNotContain("secret-appcode-4711", result.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_path_before_the_result_key_is_not_taken_for_it()
    {
        var result = await _cli.RunAsync("query", "--config", _folder.File("nope.json"), "rk-9", "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("rk-9", result.Json().GetProperty("error").GetProperty("resultKey").GetString());
    }

    public void Dispose() => _folder.Dispose();
}
