// Also compiled into the emulator server, whose implicit usings make these redundant there.
#pragma warning disable IDE0005
using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Configuration;
#pragma warning restore IDE0005

namespace AliTryOn.DependencyInjection;

/// <summary>
/// Finds the keys of a configuration section that no setting reads: a misspelt key (<c>Retry:MaxRetrys</c>) or one in
/// the wrong place (<c>RequestsPerSecond</c> outside <c>RateLimit</c>) would otherwise leave its setting at the default
/// without a word. Each is reported with the setting it most likely meant.
/// </summary>
/// <remarks>Compiled into each package that binds a section by hand (the core, AliTryOn.S3, AliTryOn.AspNetCore, the emulator server).</remarks>
internal static class UnknownSettings
{
    /// <summary>
    /// The service key under which a package registers, as a <see cref="string"/>, the path of a section it reads that
    /// may lie inside a client's or another host's section (an S3 host bound from <c>AliTryOn:S3</c>).
    /// </summary>
    public const string SectionReadElsewhere = "AliTryOn.ConfigurationSectionReadElsewhere";

    /// <summary>
    /// Tells the checks of the clients' and the other hosts' sections that <paramref name="configuration"/>, if it is a
    /// section inside theirs, is read by the package registering it (<see cref="SectionReadElsewhere"/>).
    /// </summary>
    public static void ReadElsewhere(Microsoft.Extensions.DependencyInjection.IServiceCollection services, IConfiguration configuration)
    {
        if (configuration is IConfigurationSection { Path: { Length: > 0 } path })
        {
            Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddKeyedSingleton(services, SectionReadElsewhere, path);
        }
    }

    /// <summary>
    /// Adds to <paramref name="failures"/> a message for each key of <paramref name="section"/> with a value that is not
    /// one of <paramref name="known"/> and not inside one of <paramref name="skipped"/> (sections that others read).
    /// Nothing is checked when <paramref name="section"/> is a whole configuration rather than a section of it: its
    /// other keys are the application's.
    /// </summary>
    /// <param name="section">The section the settings are bound from.</param>
    /// <param name="known">The settings' keys, relative to <paramref name="section"/> (<c>Retry:MaxRetries</c>).</param>
    /// <param name="skipped">Full paths of sections inside <paramref name="section"/> whose keys are not checked here.</param>
    /// <param name="secrets">Settings whose value is a credential: a key below one of them is not shown, as it may hold one.</param>
    /// <param name="describe">Names a key, relative to <paramref name="section"/>, for a person.</param>
    /// <param name="owner">What reads the section, for the message: "the try-on client".</param>
    /// <param name="failures">Where the messages go.</param>
    public static void Check(
        IConfiguration section,
        IReadOnlyList<string> known,
        IEnumerable<string> skipped,
        IReadOnlyCollection<string> secrets,
        Func<string, string> describe,
        string owner,
        List<string> failures)
    {
        if (section is not IConfigurationSection { Path: { Length: > 0 } path })
        {
            return;
        }

        // Keys below those sections, not the sections' own names: a value given to one ("Images:S3": "bucket") is read by
        // no one. Only sections inside this one: a client's section nested in another's ("TryOn:Eu" in "TryOn") would
        // otherwise skip all its own keys, the other's path being a start of every one of them.
        var others = skipped
            .Where(other => other.StartsWith(path + ":", StringComparison.OrdinalIgnoreCase))
            .Select(other => other + ":")
            .ToArray();
        // Sorted by key: the messages come in one order, whatever order the providers give the keys in.
        foreach (var setting in section.AsEnumerable(makePathsRelative: true).OrderBy(static setting => setting.Key, StringComparer.OrdinalIgnoreCase))
        {
            var (key, value) = (setting.Key, setting.Value);
            // A blank value sets nothing (the binders read it as absent), so it changes nothing whatever its name.
            if (string.IsNullOrWhiteSpace(value)
                || known.Contains(key, StringComparer.OrdinalIgnoreCase)
                || others.Any(other => (path + ":" + key).StartsWith(other, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var first = key.Split(':')[0];
            if (key.IndexOf("//", StringComparison.Ordinal) >= 0 || key.IndexOf('@') >= 0)
            {
                // "Endpointhttps://user:password@host" from a command line missing its '=': the name is a URL, password and
                // all, and so may be any part of it, the first too ("Endpointuser@host"): only a setting it starts with is named.
                var startsWith = known.FirstOrDefault(name => name.IndexOf(':') < 0 && first.StartsWith(name, StringComparison.OrdinalIgnoreCase));
                failures.Add($"{(startsWith is null ? $"A key of the section of {owner}" : describe(startsWith))} is followed in a key's name by what looks like a URL (the name is not shown: it may hold a password); write the setting as Name=<value>.");
                continue;
            }

            if (key.Length > first.Length && secrets.Contains(first, StringComparer.OrdinalIgnoreCase))
            {
                // "AppCode:0123…" from a command line missing its '=': the rest of the name may be the credential.
                failures.Add($"{describe(first)} has settings below it (their names are not shown: one may hold the credential); {first} takes a value of its own, not a section.");
                continue;
            }

            if (secrets.FirstOrDefault(secret => first.Length >= secret.Length + 8 && first.StartsWith(secret, StringComparison.OrdinalIgnoreCase)) is { } credential)
            {
                // "AppCode0123…" from a command line missing its '=' ("--AliTryOn:AppCode0123…"): the rest of the name may be
                // the credential. A short rest ("AppCodes") is a misspelling, shown with the setting meant.
                failures.Add($"{describe(credential)} is followed in a key's name by more characters (the name is not shown: they may be the credential); write {credential}=<value>.");
                continue;
            }

            var meant = Closest(key, known);
            // A name that ends several settings' names ("Timeout": AttemptTimeout, TotalTimeout, Polling:Timeout…) is
            // named with each, unless a setting is a slip of the pen away: pointed at one, a call's limit would be taken
            // for the job's wait.
            var name = LastName(key);
            var endings = name.Length >= 4 ? known.Where(setting => LastName(setting).EndsWith(name, StringComparison.OrdinalIgnoreCase)).ToArray() : [];
            if (endings.Length > 1 && !(meant is not null && Distance(key, meant) <= 2))
            {
                failures.Add($"{describe(key)} is not a setting of {owner}; did you mean one of {string.Join(", ", endings)}?");
                continue;
            }

            failures.Add(meant is not null
                ? $"{describe(key)} is not a setting of {owner}; did you mean {describe(meant)}?"
                : $"{describe(key)} is not a setting of {owner}, which reads {Listing(key, known)}.");
        }
    }

    /// <summary>
    /// The setting <paramref name="key"/> most likely meant: the nearest by spelling, whole or by its last name (so
    /// <c>RequestsPerSecond</c> finds <c>RateLimit:RequestsPerSecond</c>, and <c>Folder</c> finds <c>FolderPath</c>), within a third of that name's length, the
    /// nearer whole first (<c>Retry:MaxDelai</c> is <c>Retry:MaxDelay</c>, not <c>Polling:MaxDelay</c>);
    /// <see langword="null"/> when none is near.
    /// </summary>
    internal static string? Closest(string key, IReadOnlyList<string> known)
    {
        var name = LastName(key);
        return known
            .Select(setting => (setting, whole: Near(key, setting), last: Near(name, LastName(setting))))
            .Select(candidate => (candidate.setting, candidate.whole, near: Math.Min(candidate.whole, candidate.last)))
            .Where(candidate => candidate.near <= Math.Max(2, name.Length / 3))
            .OrderBy(candidate => candidate.near)
            .ThenBy(candidate => candidate.whole)
            .Select(candidate => candidate.setting)
            .FirstOrDefault();
    }

    /// <summary>
    /// The distance between two names, a name cut short (<c>Folder</c> for <c>FolderPath</c>, <c>Retry</c> for
    /// <c>Retry:MaxRetries</c>) counting as one letter.
    /// </summary>
    private static int Near(string name, string setting) =>
        name.Length >= 4 && setting.StartsWith(name, StringComparison.OrdinalIgnoreCase) ? Math.Min(1, Distance(name, setting)) : Distance(name, setting);

    private static string LastName(string key) => key.Substring(key.LastIndexOf(':') + 1);

    /// <summary>
    /// The settings to list for a key that is none: those of its own section when it is in one of the settings' sections
    /// (<c>Retry:…</c>), else the names at the top, a section's as <c>Retry:…</c>.
    /// </summary>
    private static string Listing(string key, IReadOnlyList<string> known)
    {
        var parent = key.IndexOf(':') >= 0 ? key.Substring(0, key.LastIndexOf(':') + 1) : null;
        var siblings = parent is null ? [] : known.Where(setting => setting.StartsWith(parent, StringComparison.OrdinalIgnoreCase)).ToArray();
        return string.Join(", ", siblings.Length > 0
            ? siblings
            : known.Select(static setting => setting.IndexOf(':') >= 0 ? setting.Substring(0, setting.IndexOf(':')) + ":…" : setting).Distinct());
    }

    /// <summary>The edit distance between two names, whatever their case: letters inserted, deleted or replaced.</summary>
    internal static int Distance(string a, string b)
    {
        (a, b) = (a.ToUpperInvariant(), b.ToUpperInvariant());
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(
                    Math.Min(current[j - 1] + 1, previous[j] + 1),
                    previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
