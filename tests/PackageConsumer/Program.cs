// A user's app on the packed AliTryOn packages: the emulator flow, with and without dependency injection.
using System.Reflection;
using AliTryOn;
using AliTryOn.Testing;
using Microsoft.Extensions.DependencyInjection;

var emulator = new TryOnEmulator(new TryOnEmulatorOptions
{
    QueueTime = TimeSpan.FromMilliseconds(200),
    FastDuration = TimeSpan.FromMilliseconds(500),
    QualityDuration = TimeSpan.FromSeconds(1),
});

var services = new ServiceCollection();
services.AddLogging();
services.AddTryOnClient(options =>
    {
        options.Endpoint = TryOnEmulator.DefaultBaseAddress;
        options.AppCode = TryOnEmulator.DefaultAppCode;
    })
    .ConfigurePrimaryHttpMessageHandler(() => emulator.CreateHandler());
await using var provider = services.BuildServiceProvider();

TryOnTask[] tasks =
[
    new(new Uri("https://img.example/model.jpg"), Upper: new GarmentImage(new Uri("https://img.example/shirt.jpg"), GarmentKind.FlatLay)),
    new(new Uri("https://img.example/model.jpg"), FullBody: new GarmentImage(new Uri("https://img.example/dress.jpg"), GarmentKind.WornByModel), InferenceMode: InferenceMode.Quality),
];

var failures = 0;
foreach (var (name, client) in new[] { ("dependency injection", provider.GetRequiredService<TryOnClient>()), ("direct", emulator.CreateClient()) })
{
    var job = await client.SubmitAndWaitAsync(tasks);
    var ok = job.HasCompleted && !job.HasFailures && job.Tasks.Count == 2 && job.Tasks.All(t => t.ResultUrls.Count == 4);
    Console.WriteLine($"{name}: job {job.ResultKey}: {string.Join(", ", job.Tasks.Select(t => t.Status))}, {job.ResultUrls.Count} images: {(ok ? "ok" : "FAILED")}");
    failures += ok ? 0 : 1;
}

try
{
    await emulator.CreateClient(o => o.AppCode = "wrong-code").QueryAsync("any");
    Console.WriteLine("a wrong AppCode was accepted: FAILED");
    failures++;
}
catch (TryOnAuthenticationException e)
{
    Console.WriteLine($"a wrong AppCode: {e.GetType().Name} (HTTP {e.Status}): ok");
}

foreach (var assembly in new[] { typeof(TryOnClient).Assembly, typeof(TryOnEmulator).Assembly })
{
    var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
    Console.WriteLine($"{assembly.GetName().Name} {version} on {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, from {assembly.Location}");
}

return failures == 0 ? 0 : 1;
