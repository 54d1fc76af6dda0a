using System;
using System.Buffers;
using System.Text.Json;

namespace AliTryOn.Testing.Wire;

/// <summary>Writes response bodies in the service's format, fields in the order of the document's examples.</summary>
internal static class ResponseWriter
{
    public static byte[] Error(int code, string requestId) => Write(writer =>
    {
        writer.WriteNumber("code", code);
        WriteTrailer(writer, ServiceCodes.Message(code), requestId, success: false);
    });

    /// <summary>The submit answer: the result key and each task's inputs echoed with its status.</summary>
    public static byte[] Submitted(EmulatedJob job, string requestId) => Write(writer =>
    {
        writer.WriteNumber("code", 0);
        writer.WriteStartObject("data");
        writer.WriteString("result_key", job.ResultKey);
        writer.WriteStartArray("task_list");
        foreach (var task in job.Tasks)
        {
            writer.WriteStartObject();
            writer.WriteString("model_image", task.ModelImage);
            WriteGarment(writer, "upper_image", task.Upper);
            WriteGarment(writer, "lower_image", task.Lower);
            WriteGarment(writer, "full_image", task.FullBody);
            writer.WriteNumber("inferenceMode", task.InferenceMode);
            writer.WriteString("status", "WAITING");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        WriteTrailer(writer, "success", requestId, success: true);
    });

    /// <summary>The query answer: each task's status, and its result URLs once it succeeded.</summary>
    public static byte[] Queried(EmulatedJob job, Func<int, string> statusOf, Func<int, int, string> resultUrl, int resultsPerTask, string requestId) => Write(writer =>
    {
        writer.WriteNumber("code", 0);
        writer.WriteStartObject("data");
        writer.WriteString("result_key", job.ResultKey);
        writer.WriteStartArray("task_list");
        for (var i = 0; i < job.Tasks.Count; i++)
        {
            var status = statusOf(i);
            writer.WriteStartObject();
            writer.WriteString("status", status);
            if (status is "SUCCESS" or "FAILED")
            {
                writer.WriteStartArray("results");
                for (var n = 0; status == "SUCCESS" && n < resultsPerTask; n++)
                {
                    writer.WriteStringValue(resultUrl(i, n));
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        WriteTrailer(writer, "success", requestId, success: true);
    });

    private static void WriteGarment(Utf8JsonWriter writer, string name, SubmittedGarment? garment)
    {
        if (garment is null)
        {
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteNumber("type", garment.Type);
        writer.WriteString("url", garment.Url);
        writer.WriteEndObject();
    }

    private static void WriteTrailer(Utf8JsonWriter writer, string message, string requestId, bool success)
    {
        writer.WriteString("message", message);
        writer.WriteString("requestId", requestId);
        writer.WriteString("severity", success ? "info" : "error");
        writer.WriteBoolean("success", success);
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
