using System.Text.Json;
using AliTryOn.Cli.Hosting;
using AliTryOn.Cli.Output;

namespace AliTryOn.Cli.Manifest;

/// <summary>
/// Reads a manifest: a CSV file (header <c>model,upper,lower,full_body,mode</c>, plus optional <c>id</c> and
/// <c>kind</c>) or a JSON array of objects with the same names (by extension <c>.json</c>). See README.md.
/// </summary>
internal static class ManifestReader
{
    public static readonly string[] Columns = ["id", "model", "upper", "lower", "full_body", "mode", "kind"];

    /// <exception cref="CliException">The file is missing, empty, or a row is invalid; the message names the line or item.</exception>
    public static async Task<IReadOnlyList<ManifestEntry>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
        {
            throw new CliException($"The manifest '{path}' is a folder; give the manifest file itself (a .csv file, or a .json file).");
        }

        if (!File.Exists(path))
        {
            throw new CliException($"The manifest '{path}' does not exist.");
        }

        var entries = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? await ReadJsonAsync(path, cancellationToken).ConfigureAwait(false)
            : await ReadCsvAsync(path, cancellationToken).ConfigureAwait(false);
        if (entries.Count == 0)
        {
            throw new CliException($"The manifest '{path}' has no rows.");
        }

        var duplicate = entries.GroupBy(e => e.Id, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new CliException($"The manifest '{path}' has the id '{duplicate.Key}' on more than one row (rows {string.Join(", ", duplicate.Select(e => e.Row))}); ids name the image files and must be unique.");
        }

        return entries;
    }

    private static async Task<List<ManifestEntry>> ReadCsvAsync(string path, CancellationToken cancellationToken)
    {
        var lines = await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false);
        List<string>? header = null;
        var entries = new List<ManifestEntry>();
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var where = $"{Path.GetFileName(path)} line {n + 1}";
            IReadOnlyList<string> fields;
            try
            {
                fields = CsvLine.Split(line);
            }
            catch (FormatException exception)
            {
                throw new CliException($"{where}: {exception.Message}. Close it, or double a quote inside a quoted field (\"\").");
            }

            if (header is null)
            {
                header = [.. fields.Select(f => f.ToLowerInvariant())];
                if (header.FirstOrDefault(c => !Columns.Contains(c)) is { } unknown)
                {
                    throw new CliException($"{where}: unknown column '{unknown}'; the columns are {string.Join(", ", Columns)}.");
                }

                if (!header.Contains("model"))
                {
                    throw new CliException($"{where}: the header needs a 'model' column (e.g. model,upper,lower,full_body,mode).");
                }

                continue;
            }

            if (fields.Count != header.Count)
            {
                // Too few is as wrong as too many: a field was lost or a comma added, and the columns no longer line up.
                throw new CliException($"{where}: {fields.Count} field{(fields.Count == 1 ? string.Empty : "s")} but the header has {header.Count} columns ({string.Join(",", header)}); leave a field empty, but keep its comma.");
            }

            string? Field(string column) => header.IndexOf(column) is var i and >= 0 && i < fields.Count && fields[i].Length > 0 ? fields[i] : null;
            var row = new ManifestRow
            {
                Id = Field("id"),
                Model = Field("model"),
                Upper = Field("upper"),
                Lower = Field("lower"),
                FullBody = Field("full_body"),
                Mode = Field("mode"),
                Kind = Field("kind"),
            };
            entries.Add(ToEntry(row, entries.Count + 1, where));
        }

        return entries;
    }

    private static async Task<List<ManifestEntry>> ReadJsonAsync(string path, CancellationToken cancellationToken)
    {
        ManifestRow[]? rows;
        var name = Path.GetFileName(path);
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        if (bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            throw new CliException($"{name} is not a JSON manifest: it must be an array of rows, [{{\"model\": \"https://…\", \"upper\": \"https://…\"}}, …], and it is empty.");
        }

        var first = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!first.Read() || first.TokenType != JsonTokenType.StartArray)
            {
                throw new CliException($"{name} is not a JSON manifest: it must be an array of rows, [{{\"model\": \"https://…\", \"upper\": \"https://…\"}}, …], and it {Describe(first.TokenType)}.");
            }

            rows = JsonSerializer.Deserialize(bytes, CliJsonContext.Default.ManifestRowArray);
        }
        catch (JsonException exception)
        {
            // Where, in the file's terms; not the parser's internal types.
            var at = exception.Path is { Length: > 1 } jsonPath ? $" at {jsonPath}" : string.Empty;
            throw new CliException($"{name} is not valid JSON{at} (line {exception.LineNumber + 1}): each row is an object of strings (model, upper, lower, full_body, mode, kind, id).");
        }

        return [.. (rows ?? []).Select((row, i) => ToEntry(row ?? new ManifestRow(), i + 1, $"{Path.GetFileName(path)} item {i + 1}"))];
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.None => "is empty",
        JsonTokenType.StartObject => "is a single object; put the rows in [ ]",
        JsonTokenType.String => "is a string",
        JsonTokenType.Number => "is a number",
        _ => $"starts with {token}",
    };

    private static ManifestEntry ToEntry(ManifestRow row, int number, string where)
    {
        Uri? Url(string? text, string column) => text is null ? null : TaskOptions.ParseUrl(text, $"{where}: {column}");

        var model = Url(row.Model, "model") ?? throw new CliException($"{where}: model is empty; every row needs a model image URL.");
        var kind = TaskOptions.ParseKind(row.Kind, $"{where}: kind");
        GarmentImage? Garment(string? text, string column) => Url(text, column) is { } url ? new GarmentImage(url, kind) : null;
        var task = new TryOnTask(
            model,
            Garment(row.Upper, "upper"),
            Garment(row.Lower, "lower"),
            Garment(row.FullBody, "full_body"),
            TaskOptions.ParseMode(row.Mode, $"{where}: mode"));
        if (task.Upper is null && task.Lower is null && task.FullBody is null)
        {
            throw new CliException($"{where}: no garment; set at least one of upper, lower, full_body.");
        }

        var id = string.IsNullOrWhiteSpace(row.Id) ? $"row{number}" : row.Id.Trim();
        if (id.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || id.IndexOfAny(['/', '\\', ':', '*', '?', '"', '<', '>', '|']) >= 0 || id is "." or "..")
        {
            throw new CliException($"{where}: id '{id}' cannot be part of a file name.");
        }

        return new ManifestEntry(number, id, task);
    }
}
