using AliTryOn.Cli.Configuration;
using AliTryOn.Cli.Hosting;
using AliTryOn.Cli.Manifest;

namespace AliTryOn.Cli.Checks;

/// <summary>
/// The images of manifest rows, checked by the client as a submit would, without publishing or sending anything
/// (<see cref="TryOnClient.CheckImagesAsync"/>): each distinct image once, every finding named by row and column.
/// </summary>
internal static class ImageCheck
{
    /// <summary>Checks the images of <paramref name="entries"/>.</summary>
    /// <param name="client">The client, whose image host (or its absence) and Images settings decide.</param>
    /// <param name="entries">The rows.</param>
    /// <param name="urls">
    /// Whether URL images are fetched in part and checked too (<c>check</c>); else only local files are read and checked
    /// (<c>run</c>, before it submits: URLs are the service's to fetch, or the client's with Images:CheckUrls).
    /// </param>
    /// <param name="cancellationToken">Cancels the checks.</param>
    public static async Task<ImageCheckResult> CheckAsync(TryOnClient client, IEnumerable<ManifestEntry> entries, bool urls, CancellationToken cancellationToken = default)
    {
        var images = entries.SelectMany(e => e.Images().Select(image => (Entry: e, Image: image)))
            .Where(x => urls || x.Image.Image is not UrlImage)
            .ToArray();
        var distinct = images.Select(x => x.Image.Image).Distinct().ToArray();
        if (distinct.Length == 0)
        {
            return new ImageCheckResult([], 0, 0);
        }

        // One task per distinct image, the image in two slots (a task needs a garment): the client reports it once per
        // slot, and the model slot's finding is the image's.
        var problems = await client.CheckImagesAsync(distinct.Select(i => new TryOnTask(i, new GarmentImage(i, GarmentKind.FlatLay))), cancellationToken).ConfigureAwait(false);
        var byImage = problems.Where(p => p.Slot == TryOnImageSlot.ModelImage).ToDictionary(p => distinct[p.TaskIndex]);
        var findings = new List<ImageFinding>();
        foreach (var (entry, image) in images)
        {
            if (byImage.TryGetValue(image.Image, out var problem))
            {
                // The limits it names are the tool's keys (AliTryOn:Images:MaxBytes).
                findings.Add(new ImageFinding(entry, image, problem.Problem, Configuration.CliSettings.InToolTerms(Detail(problem))));
            }
        }

        return new ImageCheckResult(findings, distinct.Count(i => i is not UrlImage), distinct.Count(i => i is UrlImage));
    }

    /// <summary>
    /// Stops a run whose rows have local images when there is no image host to publish them, before anything is sent:
    /// the client's own message (how to configure a host), then the tool's settings for one.
    /// </summary>
    /// <exception cref="CliException">Some image needs a host and there is none.</exception>
    public static void ThrowIfNoHost(ImageCheckResult result)
    {
        var local = result.Findings.Where(f => f.Problem == TryOnImageProblem.NoImageHost).ToArray();
        if (local.Length > 0)
        {
            var first = local[0];
            var rows = local.Select(f => f.Entry.Row).Distinct().Count();
            var others = rows > 1 ? $" ({rows} rows have local images.)" : string.Empty;
            throw new CliException($"row {first.Entry.Row} ({first.Entry.Id}) {first}{others} {ImageHostFactory.Hint}");
        }
    }

    /// <summary>The client's sentence without its <c>tasks[i].Slot: </c> prefix, which names the check's own task.</summary>
    private static string Detail(TryOnImageCheckException problem) =>
        problem.Field is { } field && problem.Message.StartsWith(field + ": ", StringComparison.Ordinal) ? problem.Message[(field.Length + 2)..] : problem.Message;
}
