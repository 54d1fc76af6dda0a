using AliTryOn.Cli.Manifest;

namespace AliTryOn.Cli.Runs;

/// <summary>
/// A row as it was submitted: its id and its task as the manifest wrote it (local images by their path as written and
/// the SHA-256 of their contents). The same id and written task in a later manifest are the same row, which keeps its
/// job; a changed task (another URL, another path, an edited photo) is a new row (new work), and the old one is waited
/// for but no longer reported.
/// </summary>
internal sealed record RunStateRow(string Id, WrittenTask Task);
