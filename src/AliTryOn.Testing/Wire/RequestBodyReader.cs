using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace AliTryOn.Testing.Wire;

/// <summary>
/// Reads and checks request bodies the way the service does, written independently of the SDK so that the
/// emulator checks the SDK rather than mirrors it. Accepts numbers as JSON numbers or numeric strings, and the
/// inference mode as <c>inferenceMode</c> or <c>inference_mode</c>.
/// </summary>
internal static class RequestBodyReader
{
    public const int MaxTasks = 10;

    /// <summary>The tasks of a submit body, or the service code of the first thing wrong with it.</summary>
    public static (IReadOnlyList<SubmittedTask>? Tasks, int ErrorCode) ReadSubmit(byte[] body)
    {
        if (!TryData(body, out var document, out var data, out var error))
        {
            return (null, error);
        }

        using (document)
        {
            if (!data.TryGetProperty("task_list", out var list) || list.ValueKind is JsonValueKind.Null)
            {
                return (null, ServiceCodes.RequiredEmpty);
            }

            if (list.ValueKind != JsonValueKind.Array)
            {
                return (null, ServiceCodes.IllegalParameter);
            }

            var count = list.GetArrayLength();
            if (count == 0)
            {
                return (null, ServiceCodes.RequiredEmpty);
            }

            if (count > MaxTasks)
            {
                return (null, ServiceCodes.IllegalParameter);
            }

            var tasks = new List<SubmittedTask>(count);
            foreach (var element in list.EnumerateArray())
            {
                var code = ReadTask(element, out var task);
                if (code != 0)
                {
                    return (null, code);
                }

                tasks.Add(task!);
            }

            return (tasks, 0);
        }
    }

    /// <summary>The result key of a query body, or the service code of the first thing wrong with it.</summary>
    public static (string? ResultKey, int ErrorCode) ReadQuery(byte[] body)
    {
        if (!TryData(body, out var document, out var data, out var error))
        {
            return (null, error);
        }

        using (document)
        {
            if (!data.TryGetProperty("result_key", out var key) || key.ValueKind is JsonValueKind.Null
                || (key.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(key.GetString())))
            {
                return (null, ServiceCodes.RequiredEmpty);
            }

            return key.ValueKind == JsonValueKind.String ? (key.GetString(), 0) : (null, ServiceCodes.IllegalParameter);
        }
    }

    private static bool TryData(byte[] body, out JsonDocument? document, out JsonElement data, out int error)
    {
        document = null;
        data = default;
        if (IsMissing(body))
        {
            error = ServiceCodes.BodyMissing;
            return false;
        }

        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            error = ServiceCodes.IllegalParameter;
            return false;
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            error = ServiceCodes.IllegalParameter;
            return false;
        }

        if (!root.TryGetProperty("data", out data) || data.ValueKind == JsonValueKind.Null)
        {
            document.Dispose();
            error = ServiceCodes.RequiredEmpty;
            return false;
        }

        if (data.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            error = ServiceCodes.IllegalParameter;
            return false;
        }

        error = 0;
        return true;
    }

    private static int ReadTask(JsonElement element, out SubmittedTask? task)
    {
        task = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return ServiceCodes.IllegalParameter;
        }

        var code = ReadUrl(element, "model_image", out var model);
        if (code != 0)
        {
            return code;
        }

        SubmittedGarment? upper = null, lower = null, full = null;
        code = ReadGarment(element, "upper_image", ref upper);
        code = code != 0 ? code : ReadGarment(element, "lower_image", ref lower);
        code = code != 0 ? code : ReadGarment(element, "full_image", ref full);
        if (code != 0)
        {
            return code;
        }

        if (upper is null && lower is null && full is null)
        {
            return ServiceCodes.RequiredEmpty;
        }

        var mode = 0;
        foreach (var name in (ReadOnlySpan<string>)["inferenceMode", "inference_mode"])
        {
            if (element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                if (!TryReadFlag(value, out mode))
                {
                    return ServiceCodes.IllegalParameter;
                }

                break;
            }
        }

        task = new SubmittedTask(model!, upper, lower, full, mode);
        return 0;
    }

    private static int ReadGarment(JsonElement task, string name, ref SubmittedGarment? garment)
    {
        if (!task.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return ServiceCodes.IllegalParameter;
        }

        var code = ReadUrl(element, "url", out var url);
        if (code != 0)
        {
            return code;
        }

        if (!element.TryGetProperty("type", out var type) || type.ValueKind == JsonValueKind.Null
            || (type.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(type.GetString())))
        {
            return ServiceCodes.RequiredEmpty;
        }

        if (!TryReadFlag(type, out var kind))
        {
            return ServiceCodes.IllegalParameter;
        }

        garment = new SubmittedGarment(kind, url!);
        return 0;
    }

    private static int ReadUrl(JsonElement owner, string name, out string? url)
    {
        url = null;
        if (!owner.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return ServiceCodes.RequiredEmpty;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return ServiceCodes.IllegalParameter;
        }

        url = element.GetString();
        if (string.IsNullOrWhiteSpace(url))
        {
            return ServiceCodes.RequiredEmpty;
        }

        // The service downloads the image: anything but an absolute http(s) URL cannot be reached.
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? 0
            : ServiceCodes.ImageUnreachable;
    }

    /// <summary>A 0/1 value sent as a JSON number or a numeric string.</summary>
    private static bool TryReadFlag(JsonElement value, out int flag)
    {
        flag = -1;
        var parsed = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt32(out flag),
            JsonValueKind.String => int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out flag),
            _ => false,
        };
        return parsed && flag is 0 or 1;
    }

    /// <summary>Whether the body is empty or only whitespace.</summary>
    public static bool IsMissing(byte[] body)
    {
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }
}
