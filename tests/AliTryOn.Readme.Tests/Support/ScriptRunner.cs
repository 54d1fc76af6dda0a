using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace AliTryOn.Readme.Tests.Support;

/// <summary>
/// Compiles and runs a README recipe as a C# script, as a reader's project would compile it: the implicit usings of a
/// web project and <c>using AliTryOn;</c> (as the README says), the snippet's own <c>using</c> directives (moved to the
/// top when the recipe has several blocks), and the variables the surrounding code of the reader's app would have,
/// from a globals object.
/// </summary>
internal static class ScriptRunner
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
        var body = lines.Where(l => !IsUsingDirective(l));
        var script = string.Join("\n", usings.Concat(body));
        var options = ScriptOptions.Default
            .WithReferences(References.Value)
            .WithImports(ImplicitUsings)
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithOptimizationLevel(OptimizationLevel.Debug);
        return CSharpScript.RunAsync(script, options, globals, globals?.GetType());
    }

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
