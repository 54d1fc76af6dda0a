using System;
using System.Collections.Generic;
using System.Linq;

namespace AliTryOn.Client;

/// <summary>
/// Checks a submission before anything is sent, so a request the service would reject costs no credit.
/// Messages name the field by its path in the tasks as JSON (<c>tasks[0].upper.image</c>, the same in C# with the first
/// letter in upper case); they never quote a URL (signed URLs carry tokens).
/// </summary>
internal static class TryOnRequestValidator
{
    /// <summary>The most tasks the service accepts in one submit call.</summary>
    public const int MaxTasksPerJob = 10;

    /// <summary>Returns the tasks as an array after checking them.</summary>
    /// <exception cref="ArgumentNullException">The list is null.</exception>
    /// <exception cref="TryOnInvalidTaskException">No task, more than 10, or a task null or with a missing or unusable field.</exception>
    public static TryOnTask[] ValidateTasks(IEnumerable<TryOnTask> tasks, string paramName)
    {
        if (tasks is null)
        {
            throw new ArgumentNullException(paramName);
        }

        // Always a copy, an array given included: what was checked is what is sent, whatever the caller does to theirs.
        var array = tasks.ToArray();
        if (array.Length == 0)
        {
            throw new TryOnInvalidTaskException("At least one task is required.", field: null, paramName);
        }

        if (array.Length > MaxTasksPerJob)
        {
            throw new TryOnInvalidTaskException(
                $"A job takes at most {MaxTasksPerJob} tasks; {array.Length} were given. Submit them in batches of {MaxTasksPerJob} or fewer (RunBulkAsync does it for you).",
                field: null,
                paramName);
        }

        for (var i = 0; i < array.Length; i++)
        {
            ValidateTask(array[i], i, paramName);
        }

        return array;
    }

    /// <summary>
    /// Returns a copy of the tasks, in any number (a bulk run batches them), after checking each; messages name the
    /// task's index in the whole list.
    /// </summary>
    /// <exception cref="ArgumentNullException">The list is null.</exception>
    /// <exception cref="TryOnInvalidTaskException">A task null or with a missing or unusable field.</exception>
    public static TryOnTask[] ValidateEach(IEnumerable<TryOnTask> tasks, string paramName)
    {
        if (tasks is null)
        {
            throw new ArgumentNullException(paramName);
        }

        var array = tasks.ToArray();
        for (var i = 0; i < array.Length; i++)
        {
            ValidateTask(array[i], i, paramName);
        }

        return array;
    }

    /// <exception cref="ArgumentNullException"><paramref name="resultKey"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="resultKey"/> is empty or whitespace.</exception>
    public static void ValidateResultKey(string resultKey, string paramName)
    {
        if (resultKey is null)
        {
            throw new ArgumentNullException(paramName);
        }

        if (string.IsNullOrWhiteSpace(resultKey))
        {
            throw new ArgumentException("The result key must not be empty or whitespace.", paramName);
        }
    }

    // Paths such as "tasks[0].upper.image" are built only for a message: a valid task costs no string.
    private static void ValidateTask(TryOnTask? task, int index, string paramName)
    {
        if (task is null)
        {
            throw Invalid($"{Path(index)} is null.", Path(index), paramName);
        }

        ValidateImage(task.ModelImage, index, garment: null, "modelImage", paramName);
        if (task.Upper is null && task.Lower is null && task.FullBody is null)
        {
            throw Invalid($"{Path(index)} has no garment: set at least one of upper, lower or fullBody.", Path(index), paramName);
        }

        ValidateGarment(task.Upper, index, "upper", paramName);
        ValidateGarment(task.Lower, index, "lower", paramName);
        ValidateGarment(task.FullBody, index, "fullBody", paramName);
        if (task.InferenceMode is not (InferenceMode.Fast or InferenceMode.Quality))
        {
            var path = Path(index, "inferenceMode");
            throw Invalid($"{path} must be Fast or Quality; it is {(int)task.InferenceMode}.", path, paramName);
        }
    }

    private static void ValidateGarment(GarmentImage? garment, int index, string name, string paramName)
    {
        if (garment is null)
        {
            return;
        }

        ValidateImage(garment.Image, index, name, "image", paramName);
        if (garment.Kind is not (GarmentKind.FlatLay or GarmentKind.WornByModel))
        {
            var path = Path(index, name, "kind");
            throw Invalid($"{path} must be FlatLay or WornByModel; it is {(int)garment.Kind}.", path, paramName);
        }
    }

    /// <summary>A URL image must be absolute http or https; other images are read and checked before they are published.</summary>
    private static void ValidateImage(TryOnImage? image, int index, string? garment, string field, string paramName)
    {
        if (image is not null and not UrlImage)
        {
            return;
        }

        var url = (image as UrlImage)?.Url;
        if (url is not null && url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return;
        }

        var path = Path(index, garment, field);
        throw Invalid(
            url is null ? $"{path} is required."
                : !url.IsAbsoluteUri ? $"{path} must be an absolute http or https URL; it is relative."
                : $"{path} must be an absolute http or https URL; its scheme is '{url.Scheme}'.",
            path,
            paramName);
    }

    private static TryOnInvalidTaskException Invalid(string message, string field, string paramName) => new(message, field, paramName);

    /// <summary>Where in the submission a problem is: <c>tasks[i]</c>, then the garment and field names given, as in JSON.</summary>
    private static string Path(int index, params string?[] names)
    {
        var path = $"tasks[{index}]";
        foreach (var name in names)
        {
            if (name is not null)
            {
                path += "." + name;
            }
        }

        return path;
    }
}
