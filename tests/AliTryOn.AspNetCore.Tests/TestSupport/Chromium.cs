using OpenQA.Selenium.Chrome;

namespace AliTryOn.AspNetCore.Tests.TestSupport;

/// <summary>
/// A real browser for the tests: Debian's Chromium, headless, driven through Debian's ChromeDriver by Selenium, on the
/// machine's own programs (nothing is downloaded: both paths are given, so Selenium Manager is not used). A machine
/// with Google Chrome and its ChromeDriver instead (a GitHub runner: <c>CHROMEWEBDRIVER</c> names the driver's folder)
/// uses those.
/// </summary>
public static class Chromium
{
    private const string Why = "the upload tests drive a real browser";

    /// <summary>Starts a headless Chromium; dispose the driver to close it.</summary>
    public static async Task<ChromeDriver> StartAsync()
    {
        var browser = DebianPackages.Find("chromium", "google-chrome") ?? await DebianPackages.EnsureAsync("chromium", Why, "chromium", "chromium-driver");
        var driver = Environment.GetEnvironmentVariable("CHROMEWEBDRIVER") is { Length: > 0 } folder && File.Exists(Path.Combine(folder, "chromedriver"))
            ? Path.Combine(folder, "chromedriver")
            : await DebianPackages.EnsureAsync("chromedriver", Why, "chromium", "chromium-driver");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driver)!, Path.GetFileName(driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = browser };

        // Root in a container has no sandbox to enter; /dev/shm may be small there.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }
}
