using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace AliTryOn.AspNetCore.Tests.TestSupport;

/// <summary>
/// The programs of Debian packages the tests run for real (<c>redis-server</c>, <c>chromium</c>): found where the
/// package puts them, or installed with <c>apt-get</c> as <c>.ci/run</c> does, when this process may (as root, or
/// through <c>sudo</c> without a password, as on CI runners); otherwise the failure names the package to install.
/// </summary>
public static class DebianPackages
{
    /// <summary>One install at a time in this process: test classes run in parallel, and apt-get takes a lock.</summary>
    private static readonly SemaphoreSlim Installing = new(1, 1);

    /// <summary>The full path of <paramref name="program"/>, installing <paramref name="packages"/> first when it is missing.</summary>
    /// <param name="program">The program's file name, looked for on PATH, in /usr/bin and in /usr/sbin.</param>
    /// <param name="why">What the tests need it for, for the failure's message.</param>
    /// <param name="packages">The Debian packages that provide it.</param>
    public static async Task<string> EnsureAsync(string program, string why, params string[] packages)
    {
        if (Find(program) is { } found)
        {
            return found;
        }

        await Installing.WaitAsync();
        try
        {
            if (Find(program) is { } installed)
            {
                return installed; // another test class installed it meanwhile
            }

            var asRoot = Environment.UserName == "root";
            if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/apt-get") || (!asRoot && !File.Exists("/usr/bin/sudo")))
            {
                throw new InvalidOperationException($"{program} was not found, and {why}: install it (Debian and Ubuntu: `apt-get install {string.Join(' ', packages)}`) and run the tests again.");
            }

            // The package index may be missing on a fresh machine; another process may hold apt's lock for a while.
            var log = new StringBuilder();
            string[] install = ["install", "-y", "-q", "-o", "DPkg::Lock::Timeout=300", .. packages];
            if (await AptGetAsync(log, asRoot, install) != 0)
            {
                await AptGetAsync(log, asRoot, "update", "-q", "-o", "DPkg::Lock::Timeout=300");
                await AptGetAsync(log, asRoot, install);
            }

            return Find(program) ?? throw new InvalidOperationException($"{program} could not be installed with apt-get ({string.Join(' ', packages)}), and {why}: {log}");
        }
        finally
        {
            Installing.Release();
        }
    }

    /// <summary>The full path of the first of <paramref name="programs"/> on PATH, in /usr/bin or in /usr/sbin; <see langword="null"/> for none.</summary>
    public static string? Find(params string[] programs) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Append("/usr/bin").Append("/usr/sbin")
            .SelectMany(folder => programs.Select(program => Path.Combine(folder, program)))
            .FirstOrDefault(File.Exists);

    /// <summary>Runs apt-get, through <c>sudo -n</c> (never asking for a password) unless <paramref name="asRoot"/>.</summary>
    private static async Task<int> AptGetAsync(StringBuilder log, bool asRoot, params string[] arguments)
    {
        var start = new ProcessStartInfo(asRoot ? "apt-get" : "sudo") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        if (!asRoot)
        {
            start.ArgumentList.Add("-n");
            start.ArgumentList.Add("DEBIAN_FRONTEND=noninteractive");
            start.ArgumentList.Add("apt-get");
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            log.AppendLine(await output).AppendLine(await error);
            return process.ExitCode;
        }
        catch (Win32Exception notFound)
        {
            log.AppendLine(notFound.Message);
            return -1;
        }
    }
}
