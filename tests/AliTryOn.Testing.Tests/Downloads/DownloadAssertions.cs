namespace AliTryOn.Testing.Tests.Downloads;

/// <summary>Checks on the emulator's records of downloads, and on the files they produced.</summary>
public static class DownloadAssertions
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// The storage host received these downloads with neither an <c>Authorization</c> header nor any <c>X-Ca-*</c>
    /// header (the emulator's storage would have refused them with 403), and served each one.
    /// </summary>
    public static void NoCredentialReachedTheStorageHost(IEnumerable<TryOnEmulatorRequest> downloads, int expected)
    {
        var records = downloads.ToArray();
        Assert.Equal(expected, records.Length);
        Assert.All(records, r =>
        {
            Assert.Equal(TryOnEmulatorOperation.DownloadResult, r.Operation);
            Assert.Equal("GET", r.Method);
            Assert.Equal(200, r.Status);
            Assert.Null(r.Nonce);
            Assert.DoesNotContain(r.Headers.Keys, h => h.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(r.Headers.Keys, h => h.StartsWith("X-Ca-", StringComparison.OrdinalIgnoreCase));
        });
    }

    /// <summary>The saved files are the job's PNG results, named after its key, task and result index.</summary>
    public static void SavedAsPngs(TryOnJob job, IReadOnlyList<TryOnDownloadedImage> saved, string folder)
    {
        var expected = job.Tasks.SelectMany(t => t.ResultUrls.Select((_, r) => (t.Index, r))).ToArray();
        Assert.Equal(expected, saved.Select(s => (s.TaskIndex!.Value, s.ResultIndex!.Value)));
        foreach (var image in saved)
        {
            SavedAsPng(image, Path.Combine(folder, $"{job.ResultKey}-task{image.TaskIndex}-result{image.ResultIndex}.png"));
        }

        Assert.Equal(saved.Count, Directory.GetFiles(folder).Length);
    }

    /// <summary>The image was saved whole at <paramref name="path"/>, as a PNG of the length reported.</summary>
    public static void SavedAsPng(TryOnDownloadedImage image, string path)
    {
        Assert.Equal("image/png", image.ContentType);
        Assert.Equal(Path.GetFullPath(path), image.FilePath);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(image.Length, bytes.Length);
        Assert.Equal(PngSignature, bytes[..8]);
    }
}
