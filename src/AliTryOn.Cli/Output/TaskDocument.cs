namespace AliTryOn.Cli.Output;

/// <summary>One task of a <see cref="JobDocument"/>; <see cref="Status"/> is the service's (WAITING, RUNNING, SUCCESS, FAILED).</summary>
internal sealed record TaskDocument(int Index, string Status, string? InferenceMode, IReadOnlyList<string> ResultUrls);
