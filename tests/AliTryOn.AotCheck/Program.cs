// Publishing this app is the check: the project file roots both libraries, so the trimmer and the AOT compiler
// analyse all of their code. Running it is a smoke test that the trimmed or native build still works end to end:
// one job through the in-memory emulator, which exercises the source-generated JSON both ways, and an S3 image host
// created from options (the AWS SDK's client and configuration, no request).
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AliTryOn;
using AliTryOn.Redis;
using AliTryOn.S3;
using AliTryOn.Testing;

var emulator = new TryOnEmulator(new TryOnEmulatorOptions
{
    QueueTime = TimeSpan.FromMilliseconds(100),
    FastDuration = TimeSpan.FromMilliseconds(300),
    QualityDuration = TimeSpan.FromMilliseconds(600),
});
var client = emulator.CreateClient(static options => options.Polling.InitialDelay = TimeSpan.FromMilliseconds(100));

var task = new TryOnTask(
    new Uri("https://example.com/tryon/model.jpg"),
    Upper: new GarmentImage(new Uri("https://example.com/tryon/shirt.jpg"), GarmentKind.FlatLay));
var job = await client.SubmitAndWaitAsync(task);

using var images = S3ImageHost.Create(new S3ImageHostOptions { BucketName = "aot-check", Region = "eu-central-1", AccessKeyId = "aot-check-id", SecretAccessKey = "aot-check-secret" });
Console.WriteLine($"AotCheck: {images}");

// The Redis store parses its configuration as it is made, and connects only when first asked: no server is needed here.
await using var shared = RedisRateLimitStore.Connect("localhost:6379,password=aot-check");
Console.WriteLine($"AotCheck: RedisRateLimitStore {{ KeyPrefix = {shared.KeyPrefix} }}");

var runtime = $"{RuntimeInformation.FrameworkDescription}, {(RuntimeFeature.IsDynamicCodeSupported ? "JIT" : "native AOT")}";
Console.WriteLine($"AotCheck ({runtime}): job {job.ResultKey} completed={job.HasCompleted}, {job.ResultUrls.Count} results.");
return job.HasCompleted && !job.HasFailures && job.ResultUrls.Count > 0 ? 0 : 1;
