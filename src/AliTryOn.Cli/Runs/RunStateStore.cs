using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AliTryOn.Cli.Hosting;
using AliTryOn.Cli.Manifest;
using AliTryOn.Cli.Output;
using AliTryOn.IO;

namespace AliTryOn.Cli.Runs;

/// <summary>
/// Loads and saves a <see cref="RunState"/>. Every save replaces the file whole, flushed to the disk (see
/// <see cref="AtomicFile"/>): a crash leaves the state before the save or after it.
/// </summary>
internal sealed class RunStateStore(string path, string manifestHash)
{
    private readonly List<RunStateBatch> _batches = [];

    public string Path { get; } = path;

    public static string Hash(IReadOnlyList<ManifestEntry> entries)
    {
        var text = new StringBuilder();
        foreach (var (_, id, task) in entries)
        {
            text.Append(id).Append('|').Append(task.ModelImageUrl.AbsoluteUri)
                .Append('|').Append(task.Upper?.Url.AbsoluteUri).Append('|').Append(task.Upper?.Kind)
                .Append('|').Append(task.Lower?.Url.AbsoluteUri).Append('|').Append(task.Lower?.Kind)
                .Append('|').Append(task.FullBody?.Url.AbsoluteUri).Append('|').Append(task.FullBody?.Kind)
                .Append('|').Append(task.InferenceMode).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The batches of an earlier run of the same manifest; none when there is no state file.</summary>
    /// <exception cref="CliException">The state file is unreadable or belongs to another manifest.</exception>
    public async Task<IReadOnlyList<RunStateBatch>> LoadAsync(CancellationToken cancellationToken)
    {
        // A run owns its state file: what a crash left half-written beside it is of no use.
        AtomicFile.DeleteTemporaries(Path);
        if (!File.Exists(Path))
        {
            return [];
        }

        RunState? state;
        try
        {
            var json = await File.ReadAllTextAsync(Path, cancellationToken).ConfigureAwait(false);
            state = JsonSerializer.Deserialize(json, CliJsonContext.Default.RunState);
        }
        catch (JsonException exception)
        {
            throw new CliException($"The state file '{Path}' is not valid: {exception.Message} Delete it to start over (jobs it lists would be submitted again).");
        }

        if (state is null || state.Version != RunState.CurrentVersion || state.ManifestHash != manifestHash)
        {
            throw new CliException($"The state file '{Path}' belongs to another manifest (or the manifest changed). Use --state <path> for a new run, or delete the file to start over (jobs it lists would be submitted again).");
        }

        _batches.AddRange(state.Batches);
        return state.Batches;
    }

    /// <summary>Records a batch whose job may exist, and saves the state.</summary>
    /// <param name="batch">The batch.</param>
    /// <param name="cancellationToken">
    /// Cancels the save; pass <see cref="CancellationToken.None"/> for a job that may exist, whose record must not be lost.
    /// </param>
    public async Task AddAsync(RunStateBatch batch, CancellationToken cancellationToken)
    {
        _batches.Add(batch);
        var json = JsonSerializer.Serialize(new RunState(RunState.CurrentVersion, manifestHash, [.. _batches]), CliJsonContext.Default.RunState);
        await AtomicFile.WriteAsync(Path, json, cancellationToken, durable: true).ConfigureAwait(false);
    }
}
