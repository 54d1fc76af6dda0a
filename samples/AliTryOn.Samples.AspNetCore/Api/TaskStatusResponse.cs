namespace AliTryOn.Samples.AspNetCore.Api;

/// <summary>One task of a job.</summary>
/// <param name="Index">The task's position in the job, from 0.</param>
/// <param name="Status"><c>WAITING</c>, <c>RUNNING</c>, <c>SUCCESS</c>, <c>FAILED</c>, or a status the service added later.</param>
/// <param name="Results">
/// For a successful task: links to this app's <c>GET /tryon/{resultKey}/tasks/{index}/results/{n}</c>, which
/// downloads the image for you. The service's own storage URLs expire and are not handed out.
/// </param>
public sealed record TaskStatusResponse(int Index, string Status, IReadOnlyList<string> Results);
