using System.Text.RegularExpressions;

namespace AliTryOn.Readme.Tests.Support;

/// <summary>
/// The repository's README.md, as a reader sees it: its code blocks, each C# or JSON block named by the
/// <c>&lt;!-- recipe: name --&gt;</c> comment just above it. Blocks of the same name form one recipe, in order.
/// </summary>
internal static partial class ReadmeFile
{
    private static readonly Lazy<string> Text = new(() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md")));

    /// <summary>Every C# block of the README, named or not: (line number, recipe name or null).</summary>
    public static IReadOnlyList<(int Line, string? Recipe)> CSharpBlocks()
    {
        var lines = Text.Value.Split('\n');
        var blocks = new List<(int, string?)>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd() == "```csharp")
            {
                var marker = i > 0 ? RecipeMarker().Match(lines[i - 1]) : Match.Empty;
                blocks.Add((i + 1, marker.Success ? marker.Groups[1].Value : null));
            }
        }

        return blocks;
    }

    /// <summary>The text of the recipe's blocks of <paramref name="language"/>, joined in order.</summary>
    /// <exception cref="InvalidOperationException">The README has no such recipe.</exception>
    public static string Recipe(string name, string language = "csharp")
    {
        var parts = RecipeBlock().Matches(Text.Value)
            .Where(m => m.Groups["name"].Value == name && m.Groups["language"].Value == language)
            .Select(m => m.Groups["code"].Value)
            .ToArray();
        return parts.Length == 0
            ? throw new InvalidOperationException($"README.md has no {language} block marked <!-- recipe: {name} -->.")
            : string.Join("\n", parts);
    }

    /// <summary>
    /// The recipe's C#, with literal text replaced, for a snippet that names a real service's address where the test
    /// runs a local one (the README shows Alibaba Cloud OSS; the test has s3rver on loopback). Each text to replace must
    /// occur exactly once, so that a change to the snippet fails here rather than sending a request elsewhere.
    /// </summary>
    /// <exception cref="InvalidOperationException">The README has no such recipe, or a text to replace is not in it exactly once.</exception>
    public static string Recipe(string name, IReadOnlyList<(string Text, string Replacement)> substitutions)
    {
        var code = Recipe(name);
        foreach (var (text, replacement) in substitutions)
        {
            var first = code.IndexOf(text, StringComparison.Ordinal);
            if (first < 0 || code.IndexOf(text, first + 1, StringComparison.Ordinal) >= 0)
            {
                throw new InvalidOperationException($"The recipe {name} must contain {text} exactly once, to be replaced by {replacement} in the test.");
            }

            code = code.Replace(text, replacement, StringComparison.Ordinal);
        }

        return code;
    }

    [GeneratedRegex(@"^<!-- recipe: ([a-z0-9-]+) -->\s*$")]
    private static partial Regex RecipeMarker();

    [GeneratedRegex(@"^<!-- recipe: (?<name>[a-z0-9-]+) -->\r?\n```(?<language>[a-z]+)\r?\n(?<code>.*?)\r?\n```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex RecipeBlock();
}
