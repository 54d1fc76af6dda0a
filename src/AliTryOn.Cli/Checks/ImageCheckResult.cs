namespace AliTryOn.Cli.Checks;

/// <summary>What <see cref="ImageCheck"/> found, and how many distinct local files and URLs it looked at.</summary>
internal sealed record ImageCheckResult(IReadOnlyList<ImageFinding> Findings, int Files, int Urls);
