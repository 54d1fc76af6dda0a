using System.Collections.Immutable;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace AliTryOn.Readme.Tests.Support;

/// <summary>
/// Compiles and runs a README recipe as a C# script, as a reader's project would compile it: the implicit usings of a
/// web project and <c>using AliTryOn;</c> (as the README says), the snippet's own <c>using</c> directives (moved to the
/// top when the recipe has several blocks), and the variables the surrounding code of the reader's app would have,
/// from a globals object. A top-level <c>using var</c>, which a script cannot have, is disposed at the script's end.
/// </summary>
internal static partial class ScriptRunner
{
    private static readonly string[] ImplicitUsings =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Net.Http.Json",
        "System.Threading", "System.Threading.Tasks", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration",
        "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
        "AliTryOn",
    ];

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>Runs <paramref name="code"/> with <paramref name="globals"/> (public members become its variables).</summary>
    /// <exception cref="CompilationErrorException">The snippet does not compile: the README is wrong.</exception>
    public static Task<ScriptState<object>> RunAsync(string code, object? globals = null)
    {
        var lines = code.Split('\n');
        var usings = lines.Where(IsUsingDirective).ToArray();
        var body = lines.Where(l => !IsUsingDirective(l)).ToList();

        // A script cannot have a using declaration at its top level, as a Program.cs can: such a variable is declared
        // plainly above and disposed at the end of the script, as it would be at the end of the program, last first.
        var disposals = body.Select(TopLevelUsingDeclaration).OfType<(string Name, bool Async)>().Reverse()
            .Select(static d => d.Async ? $"await {d.Name}.DisposeAsync();" : $"{d.Name}.Dispose();");
        var script = string.Join("\n", usings.Concat(body.Select(StripUsingDeclaration)).Concat(disposals));
        var options = ScriptOptions.Default
            .WithReferences(References.Value)
            .WithImports(ImplicitUsings)
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithOptimizationLevel(OptimizationLevel.Debug);
        return CSharpScript.RunAsync(script, options, globals, globals?.GetType());
    }

    /// <summary>The variable and kind of a top-level (unindented) <c>using var</c> or <c>await using var</c> declaration, if <paramref name="line"/> is one.</summary>
    private static (string Name, bool Async)? TopLevelUsingDeclaration(string line) =>
        TopLevelUsingVar().Match(line) is { Success: true } m ? (m.Groups["name"].Value, m.Groups["await"].Success) : null;

    /// <summary><paramref name="line"/>, a top-level <c>using var x = …</c> becoming <c>var x = …</c>.</summary>
    private static string StripUsingDeclaration(string line) =>
        TopLevelUsingVar().Match(line) is { Success: true } m ? line[m.Groups["var"].Index..] : line;

    [GeneratedRegex(@"^(?<await>await )?using (?<var>var (?<name>[A-Za-z_][A-Za-z0-9_]*) =)")]
    private static partial Regex TopLevelUsingVar();

    /// <summary>A <c>using</c> directive (not a <c>using var</c> declaration or a <c>using (…)</c> statement).</summary>
    private static bool IsUsingDirective(string line)
    {
        var text = line.Trim();
        return text.StartsWith("using ", StringComparison.Ordinal) && !text.StartsWith("using var ", StringComparison.Ordinal)
            && !text.Contains('(', StringComparison.Ordinal) && text.EndsWith(';');
    }

    /// <summary>The runtime's assemblies (ASP.NET Core's included) and this test's, one of each name.</summary>
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
            .Where(p => p.Length > 0 && IsManaged(p))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First());
        return [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    private static bool IsManaged(string path)
    {
        try
        {
            _ = AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
