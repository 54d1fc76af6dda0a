using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace AliTryOn.Benchmarks.Support;

/// <summary>The two ways to run: a short in-process job for a quick check, and BenchmarkDotNet's default job.</summary>
internal static class BenchmarkConfigs
{
    /// <summary>
    /// In process (no generated project to build), many short iterations so that a burst of other work on a shared
    /// two-core machine lands in a few iterations the upper-outlier removal drops, rather than in the mean. The
    /// overhead of the benchmark call itself (nanoseconds against microseconds) is not measured, to save time.
    /// </summary>
    public static IConfig Short(string artifactsPath) =>
        Base(artifactsPath).AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(4)
            .WithIterationCount(20)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithEvaluateOverhead(false)
            .WithId("Short"));

    /// <summary>The default job: out of process, as many iterations as the statistics need.</summary>
    public static IConfig Full(string artifactsPath) =>
        Base(artifactsPath).AddJob(Job.Default.WithId("Full"));

    private static ManualConfig Base(string artifactsPath) =>
        ManualConfig.Create(DefaultConfig.Instance)
            .WithArtifactsPath(artifactsPath)
            .WithOptions(ConfigOptions.JoinSummary);

    /// <summary>The project folder's <c>BenchmarkDotNet.Artifacts</c> when run from its build output, else beside the binaries.</summary>
    public static string ArtifactsPath()
    {
        var projectDirectory = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", ".."));
        var root = File.Exists(Path.Combine(projectDirectory, "AliTryOn.Benchmarks.csproj")) ? projectDirectory : AppContext.BaseDirectory;
        return Path.Combine(root, "BenchmarkDotNet.Artifacts");
    }
}
