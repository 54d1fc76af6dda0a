using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace AliTryOn.AspNetCore.Tests.TestSupport;

/// <summary>
/// The programs of Debian packages the tests run for real (<c>redis-server</c>, <c>chromium</c>): found where the
/// package puts them, or installed with <c>apt-get</c> as <c>.ci/run</c> does, when this process may (as root);
/// otherwise the failure names the package to install.
/// </summary>
public static class DebianPackages
{
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

        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get"))
        {
            throw new InvalidOperationException($"{program} was not found, and {why}: install it (Debian and Ubuntu: `apt-get install {string.Join(' ', packages)}`) and run the tests again.");
        }

        // The package index may be missing on a fresh machine.
        var log = new StringBuilder();
        if (await AptGetAsync(log, ["install", "-y", "-q", .. packages]) != 0)
        {
            await AptGetAsync(log, "update", "-q");
            await AptGetAsync(log, ["install", "-y", "-q", .. packages]);
        }

        return Find(program) ?? throw new InvalidOperationException($"{program} could not be installed with apt-get ({string.Join(' ', packages)}): {log}");
    }

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Append("/usr/bin").Append("/usr/sbin")
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    private static async Task<int> AptGetAsync(StringBuilder log, params string[] arguments)
    {
        var start = new ProcessStartInfo("apt-get") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
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
