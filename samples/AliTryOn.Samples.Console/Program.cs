// AliTryOn console sample: submits a batch of try-on tasks whose model photo is a local file (published through the
// client's image host: the emulator's own when nothing is configured), shows progress while they run, downloads every
// result image and prints where it went. See SampleApp.cs.
//
//   dotnet run --project samples/AliTryOn.Samples.Console
//   dotnet run --project samples/AliTryOn.Samples.Console -- --model <url or file> --upper <url> --mode quality
using AliTryOn.Samples.Console;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // stop waiting; the submitted job goes on in the service
    cancellation.Cancel();
};

return await SampleApp.RunAsync(args, Console.Out, TimeProvider.System, cancellation.Token);
