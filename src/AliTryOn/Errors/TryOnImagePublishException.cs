using System;
using AliTryOn.Http;

namespace AliTryOn;

/// <summary>
/// The image host failed to publish a local image of a task (the storage refused the upload, could not be reached, or
/// returned an unusable URL). Nothing was submitted and nothing billed, so it is safe to submit again; images already
/// published for the submit were deleted when cleanup is on.
/// </summary>
/// <remarks>
/// The message names the host, the image, its task and slot, and the storage error's type (never its message, which
/// can hold a credential): <c>The image host (S3ImageHost) could not publish coat.png (tasks[3].Upper): AmazonS3Exception.</c>
/// In a bulk run, every task of the batch fails with it, and <see cref="TaskIndex"/> is the failed image's index among the
/// run's inputs; the other tasks' messages start with their own: <c>tasks[2] was not submitted with its batch: …</c>.
/// </remarks>
public sealed class TryOnImagePublishException : TryOnException
{
    /// <summary>Creates the exception with a message of the caller's.</summary>
    /// <param name="message">The sentence for a person; it names the image, never a storage credential.</param>
    /// <param name="innerException">The storage's error.</param>
    public TryOnImagePublishException(string message, Exception? innerException = null)
        : base(message, details: null, innerException)
    {
    }

    /// <summary>Creates the exception for one image the host failed to publish; the message names them all.</summary>
    /// <param name="taskIndex">The task's index in the list submitted.</param>
    /// <param name="slot">The image's place in the task.</param>
    /// <param name="imageName">The image as messages name it (a file name, or the name given to bytes).</param>
    /// <param name="hostName">The image host as messages name it (its type's name).</param>
    /// <param name="innerException">The storage's error; the message names its type only.</param>
    /// <exception cref="ArgumentNullException"><paramref name="imageName"/>, <paramref name="hostName"/> or <paramref name="innerException"/> is <see langword="null"/>.</exception>
    public TryOnImagePublishException(int taskIndex, TryOnImageSlot slot, string imageName, string hostName, Exception innerException)
        : this(null, taskIndex, slot, imageName, hostName, innerException)
    {
    }

    private TryOnImagePublishException(int? taskSubmitted, int taskIndex, TryOnImageSlot slot, string imageName, string hostName, Exception innerException)
        : base(Sentence(taskSubmitted, taskIndex, slot, imageName, hostName, innerException), details: null, innerException)
    {
        TaskIndex = taskIndex;
        Slot = slot;
        ImageName = imageName;
        HostName = hostName;
    }

    /// <summary>
    /// The index of the task whose image failed, in the list submitted (for a bulk run, among the run's inputs);
    /// <see langword="null"/> when the exception was made with a message of the caller's.
    /// </summary>
    public int? TaskIndex { get; }

    /// <summary>The failed image's place in its task; <see langword="null"/> when <see cref="TaskIndex"/> is.</summary>
    public TryOnImageSlot? Slot { get; }

    /// <summary>The failed image as messages name it; <see langword="null"/> when <see cref="TaskIndex"/> is.</summary>
    public string? ImageName { get; }

    /// <summary>Always <see langword="true"/>: the storage may accept the image a moment later, and nothing was billed.</summary>
    public override bool IsRetryable => true;

    private string? HostName { get; }

    /// <summary>
    /// The same failure for one task of a bulk run's batch, naming tasks by their index among the run's inputs: the task
    /// whose image failed, and, for another task, that it went unsubmitted with its batch.
    /// </summary>
    /// <param name="input">The task this exception is for, among the run's inputs.</param>
    /// <param name="failedInput">The task whose image failed, among the run's inputs.</param>
    internal TryOnImagePublishException ForInput(int input, int failedInput) =>
        new(input == failedInput ? null : input, failedInput, Slot!.Value, ImageName!, HostName!, InnerException!);

    private static string Sentence(int? taskSubmitted, int taskIndex, TryOnImageSlot slot, string imageName, string hostName, Exception innerException)
    {
        // The storage's own message can hold a credential: only its type is named, unless the client wrote it.
        var cause = (innerException ?? throw new ArgumentNullException(nameof(innerException))) is Images.PublishTimeoutException timedOut
            ? timedOut.Message
            : innerException.GetType().Name;
        var failure = $"could not publish {imageName ?? throw new ArgumentNullException(nameof(imageName))} (tasks[{taskIndex}].{slot}): "
            + $"{cause}. {TryOnFailureTranslator.NothingCreated}";
        var host = hostName ?? throw new ArgumentNullException(nameof(hostName));
        return taskSubmitted is int other
            ? $"tasks[{other}] was not submitted with its batch: the image host ({host}) {failure}"
            : $"The image host ({host}) {failure}";
    }
}
