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
}
