using System;
using System.Collections.Generic;
using System.Linq;

namespace AliTryOn.Client;

/// <summary>
/// Checks a submission before anything is sent, so a request the service would reject costs no credit.
/// Messages name the task index and the field; they never quote a URL (signed URLs carry tokens).
/// </summary>
internal static class TryOnRequestValidator
{
    /// <summary>The most tasks the service accepts in one submit call.</summary>
    public const int MaxTasksPerJob = 10;

    /// <summary>Returns the tasks as an array after checking them.</summary>
    /// <exception cref="ArgumentNullException">The list or one of its tasks is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">More than 10 tasks, or an undefined enum value.</exception>
    /// <exception cref="ArgumentException">No task, or a task with a missing or unusable field.</exception>
    public static TryOnTask[] ValidateTasks(IEnumerable<TryOnTask> tasks, string paramName)
    {
        if (tasks is null)
        {
            throw new ArgumentNullException(paramName);
        }

        var array = tasks as TryOnTask[] ?? tasks.ToArray();
        if (array.Length == 0)
        {
            throw new ArgumentException("At least one task is required.", paramName);
        }

        if (array.Length > MaxTasksPerJob)
        {
            throw new ArgumentOutOfRangeException(
                paramName,
                array.Length,
                $"A job takes at most {MaxTasksPerJob} tasks; {array.Length} were given. Submit them in batches of {MaxTasksPerJob} or fewer.");
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
    /// <exception cref="ArgumentNullException">The list or one of its tasks is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An undefined enum value.</exception>
    /// <exception cref="ArgumentException">A task with a missing or unusable field.</exception>
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

    // Paths such as "tasks[0].Upper.Url" are built only for a message: a valid task costs no string.
    private static void ValidateTask(TryOnTask? task, int index, string paramName)
    {
        if (task is null)
        {
            throw new ArgumentNullException(paramName, $"{Path(index)} is null.");
        }

        ValidateUrl(task.ModelImageUrl, index, garment: null, nameof(TryOnTask.ModelImageUrl), paramName);
        if (task.Upper is null && task.Lower is null && task.FullBody is null)
        {
            throw new ArgumentException(
                $"{Path(index)} has no garment: set at least one of {nameof(TryOnTask.Upper)}, {nameof(TryOnTask.Lower)} or {nameof(TryOnTask.FullBody)}.",
                paramName);
        }

        ValidateGarment(task.Upper, index, nameof(TryOnTask.Upper), paramName);
        ValidateGarment(task.Lower, index, nameof(TryOnTask.Lower), paramName);
        ValidateGarment(task.FullBody, index, nameof(TryOnTask.FullBody), paramName);
        if (task.InferenceMode is not (InferenceMode.Fast or InferenceMode.Quality))
        {
            throw new ArgumentOutOfRangeException(
                paramName,
                task.InferenceMode,
                $"{Path(index, nameof(TryOnTask.InferenceMode))} must be Fast (0) or Quality (1).");
        }
    }

    private static void ValidateGarment(GarmentImage? garment, int index, string name, string paramName)
    {
        if (garment is null)
        {
            return;
        }

        ValidateUrl(garment.Url, index, name, nameof(GarmentImage.Url), paramName);
        if (garment.Kind is not (GarmentKind.FlatLay or GarmentKind.WornByModel))
        {
            throw new ArgumentOutOfRangeException(
                paramName,
                garment.Kind,
                $"{Path(index, name, nameof(GarmentImage.Kind))} must be FlatLay (0) or WornByModel (1).");
        }
    }

    private static void ValidateUrl(Uri? url, int index, string? garment, string field, string paramName)
    {
        if (url is null)
        {
            throw new ArgumentNullException(paramName, $"{Path(index, garment, field)} is required.");
        }

        if (!url.IsAbsoluteUri)
        {
            throw new ArgumentException($"{Path(index, garment, field)} must be an absolute http or https URL; it is relative.", paramName);
        }

        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"{Path(index, garment, field)} must be an absolute http or https URL; its scheme is '{url.Scheme}'.", paramName);
        }
    }

    /// <summary>Where in the submission a problem is: <c>tasks[i]</c>, then the garment and field names given.</summary>
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
