using System.Text.Json.Serialization;

namespace AliTryOn.Cli.Runs;

/// <summary>
/// An image of a batch's job saved in place: the <see cref="Image"/>-th image of its <see cref="Task"/>-th task, as
/// <see cref="File"/> (in the output folder) of <see cref="Bytes"/> bytes. A later run of the same job's row uses that
/// file, still there under the name the row gives it and of that size, instead of fetching the image again (its link
/// may have expired by then).
/// </summary>
/// <param name="Task">The task's index in the job.</param>
/// <param name="Image">The image's index in the task's results.</param>
/// <param name="File">The file's name, relative to the output folder.</param>
/// <param name="Bytes">The file's size as saved: a file cut short (a power cut before it reached the disk) is not it.</param>
/// <param name="Of">
/// How many images the task has: a later run whose job the service no longer knows (or does not answer) keeps the row
/// when all of them are saved. Absent in records of earlier versions.
/// </param>
internal sealed record RunStateImage(int Task, int Image, string File, long Bytes, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Of = null);
