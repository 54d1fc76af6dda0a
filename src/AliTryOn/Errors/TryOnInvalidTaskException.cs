using System;

namespace AliTryOn;

/// <summary>
/// The client refused tasks before sending them: no task, more than 10 in one job, or a task with a missing or unusable
/// field. Nothing was sent and nothing billed. An <see cref="ArgumentException"/>, raised by the call itself.
/// </summary>
/// <remarks>
/// <see cref="Exception.Message"/> is a sentence for a person, naming the field by its path in the tasks as JSON
/// (<c>tasks[2].upper.image must be an absolute http or https URL; its scheme is 'ftp'.</c>), without the
/// <c>(Parameter …)</c> suffix of other argument exceptions. <see cref="Field"/> is that path alone, for a web API's
/// validation errors.
/// </remarks>
public class TryOnInvalidTaskException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The sentence for a person.</param>
    /// <param name="field">The path of the field in the tasks as JSON (<c>tasks[0].modelImage</c>), or <see langword="null"/> for the list as a whole.</param>
    /// <param name="paramName">The argument that held the tasks.</param>
    public TryOnInvalidTaskException(string message, string? field, string? paramName)
        : base(message, paramName)
    {
        Field = field;
    }

    /// <summary>Creates the exception with the error behind it.</summary>
    /// <param name="message">The sentence for a person.</param>
    /// <param name="field">The path of the field in the tasks, or <see langword="null"/> for the list as a whole.</param>
    /// <param name="paramName">The argument that held the tasks.</param>
    /// <param name="innerException">The error behind it (an unreadable file's I/O error, say).</param>
    public TryOnInvalidTaskException(string message, string? field, string? paramName, Exception? innerException)
        : base(message, paramName, innerException)
    {
        Field = field;
    }

    /// <summary>
    /// The path of the field at fault in the tasks as JSON: <c>tasks[0].modelImage</c>, <c>tasks[2].upper.image</c>,
    /// <c>tasks[1]</c> (a task with no garment), <c>tasks[3].Upper</c> (an image refused by the checks before publishing, <see cref="TryOnImageCheckException"/>); <see langword="null"/> when the list as a whole is at fault (empty, or
    /// more than 10 tasks in one job).
    /// </summary>
    public string? Field { get; }

    /// <summary>The sentence for a person, without the parameter's name.</summary>
    public override string Message => base.Message.Length > 0 && ParamName is { } name
        ? base.Message.Replace($" (Parameter '{name}')", string.Empty)
        : base.Message;
}
