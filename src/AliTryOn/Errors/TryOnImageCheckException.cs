using System;

namespace AliTryOn;

/// <summary>
/// An image of a task was refused before anything was uploaded or sent: it is local and the client has no image host, it
/// cannot be read, it is too large, not an image, in a format the service does not take, or its sides are out of range;
/// or, with <see cref="TryOnImageOptions.CheckUrls"/>, its URL could not be fetched. Nothing was published, sent or billed.
/// </summary>
/// <remarks>
/// The message names the task, the slot, the image and what was measured:
/// <c>tasks[3].Upper: shirt.webp is 380 × 512 px; each side must be 400 to 4096 px</c>. <see cref="TryOnInvalidTaskException.Field"/>
/// is <c>tasks[3].Upper</c>.
/// </remarks>
public sealed class TryOnImageCheckException : TryOnInvalidTaskException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="taskIndex">The task's index in the list submitted.</param>
    /// <param name="slot">The image's place in the task.</param>
    /// <param name="imageName">The image as messages name it (a file name, a URL without its query).</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="detail">What was measured, as a sentence starting with the image's name.</param>
    /// <param name="paramName">The argument that held the tasks.</param>
    /// <param name="innerException">The I/O or HTTP error behind it, if any.</param>
    public TryOnImageCheckException(int taskIndex, TryOnImageSlot slot, string imageName, TryOnImageProblem problem, string detail, string? paramName = "tasks", Exception? innerException = null)
        : base($"tasks[{taskIndex}].{slot}: {detail}", $"tasks[{taskIndex}].{slot}", paramName, innerException)
    {
        TaskIndex = taskIndex;
        Detail = detail;
        Slot = slot;
        ImageName = imageName;
        Problem = problem;
    }

    /// <summary>The task's index in the list submitted (for a bulk run, in the batch).</summary>
    public int TaskIndex { get; }

    /// <summary>The image's place in the task.</summary>
    public TryOnImageSlot Slot { get; }

    /// <summary>The image as messages name it: a file's name, a URL without its query, or the name given to bytes.</summary>
    public string ImageName { get; }

    /// <summary>What is wrong.</summary>
    public TryOnImageProblem Problem { get; }

    /// <summary>What was measured, without the task and slot: the same finding, to name it where else it is.</summary>
    internal string Detail { get; }
}
