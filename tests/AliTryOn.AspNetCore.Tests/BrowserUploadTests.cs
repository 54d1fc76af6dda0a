using System.Text.Json;
using AliTryOn.Testing;
using Microsoft.AspNetCore.Http;
using OpenQA.Selenium;

namespace AliTryOn.AspNetCore.Tests;

/// <summary>
/// A shopper's photo chosen in a real browser (headless Chromium) and posted by a plain HTML form to the README's upload
/// endpoint: the multipart body, the file's name and its content type are the browser's own, not a test's.
/// </summary>
public sealed class BrowserUploadTests : IDisposable
{
    private const string Page = """
        <!doctype html>
        <meta charset="utf-8">
        <title>Try it on</title>
        <form method="post" action="/try-on/upload" enctype="multipart/form-data">
          <input type="file" name="photo" accept="image/*">
          <button type="submit">Try it on</button>
        </form>
        """;

    private readonly DirectoryInfo _photos = Directory.CreateTempSubdirectory("alitryon-browser-");

    public void Dispose() => _photos.Delete(recursive: true);

    [Fact]
    public async Task A_photo_chosen_in_the_browser_is_published_by_the_app_submitted_and_served_to_the_service_whole()
    {
        await using var server = await StartAppAsync();
        using var browser = await Chromium.StartAsync();
        var png = TestImages.Png(640, 853);

        var answer = Upload(browser, server, "mañana 写真.png", png);

        var resultKey = JsonSerializer.Deserialize<string>(answer)!;
        var emulator = server.Services.GetRequiredService<TryOnEmulator>();
        var submit = Assert.Single(emulator.Requests, r => r.Operation == TryOnEmulatorOperation.Submit);
        Assert.Equal(resultKey, submit.ResultKey);
        var model = JsonDocument.Parse(submit.Body!).RootElement.GetProperty("data").GetProperty("task_list")[0].GetProperty("model_image").GetString()!;
        Assert.StartsWith("http://app.tryon.test/tryon-images/", model, StringComparison.Ordinal);
        Assert.EndsWith(".png", new Uri(model).AbsolutePath, StringComparison.Ordinal); // the browser said image/png
        using var http = server.CreateClient();
        Assert.Equal(png, await http.GetByteArrayAsync(new Uri(model))); // what the service downloads: the file, byte for byte
    }

    [Fact]
    public async Task A_photo_the_service_would_refuse_is_answered_in_the_browser_naming_the_file_and_nothing_is_billed()
    {
        await using var server = await StartAppAsync();
        using var browser = await Chromium.StartAsync();

        var answer = Upload(browser, server, "petite 写真.png", TestImages.Png(300, 300));

        // The name as the browser sent it, UTF-8 and all, in the SDK's message.
        Assert.Contains("petite 写真.png is 300 × 300 px", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Services.GetRequiredService<TryOnEmulator>().Requests, r => r.Operation == TryOnEmulatorOperation.Submit);
    }

    private static Task<AppServer> StartAppAsync() => AppServer.StartAsync(new AppServerSettings
    {
        ConfigureServices = services =>
        {
            services.AddTryOnEmulator(options => options.QueueTime = TimeSpan.FromSeconds(30));
            services.AddTryOnEmulatorClient();
        },
        ConfigureApp = app =>
        {
            app.MapGet("/", () => Results.Content(Page, "text/html; charset=utf-8"));
            app.MapReadmeUpload();
        },
    });

    /// <summary>Opens the page, chooses the file as a shopper would, sends the form, and returns what the browser shows.</summary>
    private string Upload(IWebDriver browser, AppServer server, string fileName, byte[] content)
    {
        var path = Path.Combine(_photos.FullName, fileName);
        File.WriteAllBytes(path, content);
        browser.Navigate().GoToUrl(server.Address);
        browser.FindElement(By.Name("photo")).SendKeys(path);
        browser.FindElement(By.TagName("button")).Click();
        return new OpenQA.Selenium.Support.UI.WebDriverWait(browser, TimeSpan.FromSeconds(30))
            .Until(b => b.Url.EndsWith(UploadEndpoint.Path, StringComparison.Ordinal) ? b.FindElement(By.TagName("body")).Text : null)!;
    }
}
