using System.Net;
using System.Net.Http.Headers;

namespace AliTryOn.Testing.Tests.Bulk;

/// <summary>One bad image does not sink its batch: the rest of the batch is submitted, the bad task fails naming its images.</summary>
public sealed class BadImageBulkTests
{
    /// <summary>At most this many submits isolate one refused task in a batch of ten: the first, then two per halving.</summary>
    private const int SubmitBoundForOneBadTaskInTen = 1 + (2 * 4);

    [Theory]
    [InlineData("invalid")]
    [InlineData("unreachable")]
    [InlineData("rejected")]
    public async Task A_batch_of_ten_refused_for_one_image_yields_nine_successes_and_one_failure_naming_its_images(string rule)
    {
        var harness = new BulkHarness();
        var bad = "https://img.test/top-6.png";
        Action<string> mark = rule switch
        {
            "invalid" => harness.Emulator.Images.MarkInvalid,
            "unreachable" => harness.Emulator.Images.MarkUnreachable,
            _ => harness.Emulator.Images.MarkContentRejected,
        };
        mark(bad);

        var outcomes = await harness.RunAsync(BulkHarness.Tasks(10), harness.Options());

        Assert.Equal(9, outcomes.Count(o => o.Status == TryOnBulkStatus.Succeeded));
        var failed = Assert.Single(outcomes, o => o.Status == TryOnBulkStatus.Failed);
        Assert.Equal(6, failed.InputIndex);
        Assert.Null(failed.ResultKey); // no job was created for it
        var expected = rule switch
        {
            "invalid" => typeof(TryOnInvalidImageException),
            "unreachable" => typeof(TryOnImageUnreachableException),
            _ => typeof(TryOnContentRejectedException),
        };
        Assert.IsType(expected, failed.Error);
        Assert.StartsWith("tasks[6]: the service refused one of this task's images (https://img.test/model-6.png, https://img.test/top-6.png): ", failed.Error!.Message, StringComparison.Ordinal);
        Assert.IsType(expected, failed.Error.InnerException); // the service's own answer, code and request id included
        Assert.NotNull(((TryOnException)failed.Error).ErrorCode);
        harness.AssertEachInputOnceAndNoneSubmittedTwice(10, outcomes);

        // 10 refused; 0-4 created; 5-9 refused; 5-6 refused; 5 created; 6 refused; 7-9 created.
        var submits = harness.Emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Submit);
        Assert.Equal(7, submits);
        Assert.InRange(submits, 2, SubmitBoundForOneBadTaskInTen);
        Assert.Equal(3, harness.CreatedJobs().Count); // 0-4, 5 and 7-9
    }

    [Fact]
    public async Task The_emulator_fetching_real_images_refuses_an_undersized_one_and_the_run_isolates_it()
    {
        var images = new ImageServer(url => url.EndsWith("top-3.png", StringComparison.Ordinal) ? TestImages.Png(380, 512) : TestImages.Png(600, 800));
        var harness = new BulkHarness(configureEmulator: o => { o.FetchImages = true; o.ImageFetchHandler = images; });

        var outcomes = await harness.RunAsync(BulkHarness.Tasks(10), harness.Options());

        Assert.Equal(9, outcomes.Count(o => o.Status == TryOnBulkStatus.Succeeded));
        var failed = Assert.Single(outcomes, o => o.Status == TryOnBulkStatus.Failed);
        Assert.Equal(3, failed.InputIndex);
        Assert.IsType<TryOnInvalidImageException>(failed.Error);
        Assert.Equal("23500007", ((TryOnException)failed.Error!).ErrorCode);
        harness.AssertEachInputOnceAndNoneSubmittedTwice(10, outcomes);
        Assert.InRange(harness.Emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Submit), 2, SubmitBoundForOneBadTaskInTen);
    }

    [Fact]
    public async Task A_local_image_the_client_refuses_fails_its_task_alone_and_the_rest_of_its_batch_is_submitted_once()
    {
        var harness = new BulkHarness();
        var tasks = BulkHarness.Tasks(10);
        tasks[3] = tasks[3] with { Upper = new GarmentImage(TryOnImage.FromBytes(TestImages.Png(380, 512), "image/png", "shirt.png"), GarmentKind.FlatLay) };
        tasks[8] = tasks[8] with { Upper = new GarmentImage(TryOnImage.FromBytes(TestImages.Png(600, 800), "image/png", "coat.png"), GarmentKind.FlatLay) };

        var outcomes = await harness.RunAsync(tasks, harness.Options());

        Assert.Equal(9, outcomes.Count(o => o.Status == TryOnBulkStatus.Succeeded));
        var failed = Assert.Single(outcomes, o => o.Status == TryOnBulkStatus.Failed);
        var error = Assert.IsType<TryOnImageCheckException>(failed.Error);
        Assert.Equal("tasks[3].Upper: shirt.png is 380 × 512 px; each side must be 400 to 4096 px", error.Message);
        Assert.Equal(3, error.TaskIndex); // the input's index, not its place in the batch
        Assert.Equal(1, harness.Emulator.Requests.Count(r => r.Operation == TryOnEmulatorOperation.Submit));
        Assert.Equal(1, harness.Emulator.ImageHost.PublishCount); // coat.png, for the batch that went
        Assert.Equal(1, harness.Emulator.ImageHost.DeleteCount); // and gone once its job finished
    }

    /// <summary>Serves an image for any URL, as a storage host would, over the emulator's fetch transport.</summary>
    private sealed class ImageServer(Func<string, byte[]> imageFor) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(imageFor(request.RequestUri!.AbsoluteUri)) };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            return Task.FromResult(response);
        }
    }
}
