using AliTryOn.Testing.Server;

namespace AliTryOn.Testing.Tests.EndToEnd;

/// <summary>The standalone server's settings: a bad one stops it before it listens, naming it.</summary>
public class ServerSettingsTests
{
    [Theory]
    [InlineData("--Emulator:FastDuration=-00:00:01", "QueueTime, FastDuration and QualityDuration cannot be negative")]
    [InlineData("--Emulator:ResultsPerTask=0", "ResultsPerTask, ResultUrlLifetime and NonceWindow must be positive")]
    [InlineData("--Emulator:ResultsPerTask=99999999999", "Emulator:ResultsPerTask has the value '99999999999'")]
    [InlineData("--Emulator:QueueTime=soon", "Emulator:QueueTime has the value 'soon'")]
    public void A_bad_setting_stops_the_server_before_it_listens_naming_it(string setting, string message)
    {
        // Before, a value out of range was found on the first request: the server listened and answered every request
        // with an empty 500, which a client takes for a submit that may have created a job.
        var error = Assert.Throws<InvalidOperationException>(() => EmulatorServer.Create(["--urls", "http://127.0.0.1:0", setting]));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(setting.Contains("=0", StringComparison.Ordinal) || setting.Contains("=-", StringComparison.Ordinal) ? "The emulator's settings (section Emulator) are not valid" : "Emulator:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Emulator:FastDuraton=00:00:01", "Emulator:FastDuraton is not a setting of the emulator server; did you mean Emulator:FastDuration?")]
    [InlineData("--Emulator:AppCode=my-code", "Emulator:AppCode is not a setting of the emulator server; did you mean Emulator:AppCodes:0?")]
    [InlineData("--Emulator:AppCodes=my-code", "Emulator:AppCodes is not a setting of the emulator server; did you mean Emulator:AppCodes:0?")] // a list, read as nothing
    [InlineData("--Emulator:Latency=00:00:01", "Emulator:Latency is not a setting of the emulator server, which reads AppCodes:…, AppKeys:…, QueueTime, FastDuration, QualityDuration, ResultUrlLifetime, ResultsPerTask, RandomSeed, FetchImages, ImageFetchTimeout.")]
    public void A_misspelt_setting_stops_the_server_naming_the_one_meant(string setting, string message)
    {
        // Read as nothing, a misspelt FastDuration left every job at the realistic 10 s a test then waited for.
        var error = Assert.Throws<InvalidOperationException>(() => EmulatorServer.Create(["--urls", "http://127.0.0.1:0", "--Emulator:AppCodes:0=code-1", "--Emulator:AppKeys:key-1=secret-1", setting]));

        Assert.Equal(message, error.Message);
    }
}
