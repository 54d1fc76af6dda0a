using AliTryOn.Cli.Hosting;

namespace AliTryOn.Cli.Manifest;

/// <summary>A manifest read whole: its usable rows, and every row that is not (<c>check</c> lists them all; <c>run</c> refuses them).</summary>
internal sealed record ManifestContent(string Path, IReadOnlyList<ManifestEntry> Entries, IReadOnlyList<ManifestError> Errors)
{
    /// <summary>The rows, when every one is usable.</summary>
    /// <exception cref="CliException">A row is not: the first is named, and how many more there are.</exception>
    public IReadOnlyList<ManifestEntry> ValidEntries()
    {
        if (Errors.Count > 0)
        {
            var more = Errors.Count - 1;
            throw new CliException(Errors[0].Message + (more > 0 ? $" ({more} more row{(more == 1 ? " has" : "s have")} problems: 'alitryon check {System.IO.Path.GetFileName(Path)}' lists them all.)" : string.Empty));
        }

        return Entries;
    }
}
