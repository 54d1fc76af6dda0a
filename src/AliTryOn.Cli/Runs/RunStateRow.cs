namespace AliTryOn.Cli.Runs;

/// <summary>
/// A row as it was submitted: its id and its task. The same id and task in a later manifest are the same row, which
/// keeps its job; a changed task is a new row (new work), and the old one is waited for but no longer reported.
/// </summary>
internal sealed record RunStateRow(string Id, TryOnTask Task);
