namespace AliTryOn.Samples.AspNetCore.Api;

/// <summary>
/// The body of <c>POST /tryon</c>: 1 to 10 try-on tasks, submitted as one job (one call, one result key).
/// </summary>
/// <example>
/// <code>
/// { "tasks": [ { "modelImage": "https://example.com/model.jpg",
///                "upper": { "image": "https://example.com/shirt.jpg", "kind": "FlatLay" },
///                "inferenceMode": "Fast" } ] }
/// </code>
/// </example>
/// <param name="Tasks">The tasks.</param>
public sealed record SubmitTryOnRequest(IReadOnlyList<TryOnTaskInput?>? Tasks)
{
    /// <summary>
    /// Converts to the SDK's tasks. Only what JSON cannot express is checked here (a URL that does not parse);
    /// everything else is left to the SDK, which checks before sending and names the field, for example
    /// <c>tasks[0].upper.image</c>: the same path as in this JSON.
    /// </summary>
    /// <exception cref="TryOnInvalidTaskException">A URL is not a URL at all.</exception>
    internal IEnumerable<TryOnTask> ToTasks() =>
        (Tasks ?? []).Select(static (task, index) => task?.ToTask($"tasks[{index}]")!);
}
