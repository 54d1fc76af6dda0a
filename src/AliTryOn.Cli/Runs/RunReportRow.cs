namespace AliTryOn.Cli.Runs;

/// <summary>
/// One manifest row's outcome: <see cref="Status"/> is <c>succeeded</c>, <c>failed</c> or <c>unknown</c> (the job may
/// still exist: wait for <see cref="ResultKey"/>); <see cref="Files"/> are relative to the output folder.
/// </summary>
internal sealed record RunReportRow(int Row, string Id, string Status, string? ResultKey, int? TaskIndex, IReadOnlyList<string> Files, string? Error);
