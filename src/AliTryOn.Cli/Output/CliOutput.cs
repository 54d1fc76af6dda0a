using System.Text.Json.Serialization.Metadata;
using AliTryOn.Cli.Hosting;

namespace AliTryOn.Cli.Output;

/// <summary>
/// Where a command writes: results on stdout (text, or one JSON document with <c>--json</c>), everything else
/// (progress, notes, warnings, errors) on stderr, so <c>alitryon submit … &gt; key.txt</c> and <c>| jq</c> work.
/// </summary>
internal sealed class CliOutput(CliContext context, bool json)
{
    public bool Json { get; } = json;

    public TextWriter Out => context.Out;

    public TextWriter Error => context.Error;

    public TimeProvider TimeProvider => context.TimeProvider;

    public bool IsErrorRedirected => context.IsErrorRedirected;

    /// <summary>A result line; not written with <c>--json</c>.</summary>
    public void Line(string text = "")
    {
        if (!Json)
        {
            context.Out.WriteLine(text);
        }
    }

    /// <summary>A note on stderr (progress, hints), in both modes.</summary>
    public void Note(string text) => context.Error.WriteLine(text);

    public void Document<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        context.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(value, typeInfo));
    }
}
