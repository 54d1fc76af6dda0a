using System.Text;
using System.Text.Json;
using AliTryOn.Cli.Hosting;

namespace AliTryOn.Cli.Manifest;

/// <summary>
/// Reads a manifest: a CSV file (header <c>model,upper,lower,full_body,mode</c>, plus optional <c>id</c> and
/// <c>kind</c>) or a JSON array of objects with the same names (by extension <c>.json</c>). See README.md.
/// </summary>
internal static class ManifestReader
{
    public static readonly string[] Columns = ["id", "model", "upper", "lower", "full_body", "mode", "kind"];

    /// <summary>
    /// The longest id, in bytes of UTF-8: its image files, <c>{id}-{n}{extension}</c>, must fit the file system's limit of
    /// 255 bytes a name, with up to 999 images a row and the longest extension the tool writes (a dot and 10 letters).
    /// </summary>
    public const int MaxIdBytes = 255 - 4 - 11;

    /// <summary>Reads every row; a row that cannot be used is an error of the result, and the others are read on.</summary>
    /// <exception cref="CliException">The file is missing, empty or malformed (a quote never closed, a row with the wrong number of fields, JSON that is not an array of rows); the message names the line or item.</exception>
    public static async Task<ManifestContent> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
        {
            throw new CliException($"The manifest '{path}' is a folder; give the manifest file itself (a .csv file, or a .json file).");
        }

        if (!File.Exists(path))
        {
            throw new CliException($"The manifest '{path}' does not exist.");
        }

        var rows = new Rows(Path.GetDirectoryName(path)!);
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            await ReadJsonAsync(path, rows, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ReadCsvAsync(path, rows, cancellationToken).ConfigureAwait(false);
        }

        if (rows.Entries.Count == 0 && rows.Errors.Count == 0)
        {
            throw new CliException($"The manifest '{path}' has no rows.");
        }

        // Ids name the image files: a repeated id is an error of each row after the first.
        var entries = new List<ManifestEntry>();
        foreach (var group in rows.Entries.GroupBy(e => e.Id, StringComparer.OrdinalIgnoreCase))
        {
            entries.Add(group.First());
            if (group.Skip(1).FirstOrDefault() is { } second)
            {
                rows.Errors.Add(new ManifestError(second.Row, $"The manifest '{path}' has the id '{group.Key}' on more than one row (rows {string.Join(", ", group.Select(e => e.Row))}); ids name the image files and must be unique.", second.Id));
            }
        }

        return new ManifestContent(path, [.. entries.OrderBy(e => e.Row)], [.. rows.Errors.OrderBy(e => e.Row)]);
    }

    private static async Task ReadCsvAsync(string path, Rows rows, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        var text = Decode(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), name);
        List<string>? header = null;
        foreach (var (line, fields) in CsvRecords.Read(text, name))
        {
            var where = $"{name} line {line}";
            if (header is null)
            {
                header = [.. fields.Select(f => f.ToLowerInvariant())];
                // A spreadsheet's empty columns come without a name: they are let be, as long as they stay empty.
                if (header.FirstOrDefault(c => c.Length > 0 && !Columns.Contains(c)) is { } unknown)
                {
                    throw new CliException($"{where}: unknown column '{unknown}'; {NamesHint(unknown, "columns")}, separated by commas, semicolons or tabs.");
                }

                // A column given twice would keep its first value and drop the other without a word (a garment not billed as meant).
                if (Enumerable.Range(0, header.Count).Select(i => (First: header.IndexOf(header[i]), Again: i)).FirstOrDefault(p => header[p.Again].Length > 0 && p.First < p.Again) is { Again: > 0 } twice)
                {
                    var spelled = fields[twice.First] == fields[twice.Again] ? ");" : $": '{fields[twice.First]}' and '{fields[twice.Again]}'); names match whatever their case, and";
                    throw new CliException($"{where}: the column '{header[twice.Again]}' is given twice (fields {twice.First + 1} and {twice.Again + 1}{spelled} each column may appear once: remove or rename one.");
                }

                if (!header.Contains("model"))
                {
                    throw new CliException($"{where}: the header needs a 'model' column (e.g. model,upper,lower,full_body,mode).");
                }

                continue;
            }

            if (fields.Length != header.Count)
            {
                // Too few is as wrong as too many: a field was lost or a comma added, and the columns no longer line up.
                throw new CliException($"{where}: {fields.Length} field{(fields.Length == 1 ? string.Empty : "s")} but the header has {header.Count} columns ({string.Join(", ", header)}); leave a field empty, but keep its separator.");
            }

            if (Enumerable.Range(0, fields.Length).FirstOrDefault(i => header[i].Length == 0 && fields[i].Length > 0, -1) is var stray and >= 0)
            {
                throw new CliException($"{where}: field {stray + 1} has a value ('{AliTryOn.Diagnostics.UrlDisplay.Show(fields[stray])}') but its column has no name in the header; name the column, or move the value.");
            }

            rows.Add(ManifestRow.From(column => header.IndexOf(column) is var i and >= 0 && i < fields.Length && fields[i].Length > 0 ? fields[i] : null), where);
        }
    }

    /// <summary>
    /// What to say of an unknown column or property: the name it resembles, told apart only by case, spaces or
    /// punctuation (<c>fullBody</c>, <c>Full-Body</c> for <c>full_body</c>), and the names there are.
    /// </summary>
    private static string NamesHint(string name, string what)
    {
        var known = $"the {what} are {string.Join(", ", Columns)}";
        return Columns.FirstOrDefault(c => Squeezed(c) == Squeezed(name)) is { } meant ? $"did you mean '{meant}'? ({known})" : known;
    }

    private static string Squeezed(string name) => string.Concat(name.Where(char.IsLetterOrDigit)).ToLowerInvariant();

    /// <summary>
    /// The text of a manifest, CSV or JSON alike: UTF-8 (with or without its byte order mark), or UTF-16 with its mark (a
    /// spreadsheet's "Unicode text"). Bytes that are not UTF-8 are refused, naming their line: decoded as they are, they
    /// would change a URL or path without a word.
    /// </summary>
    private static string Decode(byte[] bytes, string name)
    {
        Encoding encoding = bytes switch
        {
            [0xFF, 0xFE, ..] => new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true),
            [0xFE, 0xFF, ..] => new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true),
            _ => new UTF8Encoding(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true),
        };
        var start = bytes.AsSpan().StartsWith(encoding.Preamble) ? encoding.Preamble.Length : 0;
        try
        {
            return encoding.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException exception)
        {
            throw new CliException($"{name} line {LineAt(bytes, start + Math.Max(exception.Index, 0))} is not {encoding.WebName.ToUpperInvariant()} text (an older encoding, such as Windows-1252?): save the file as UTF-8 (a spreadsheet's \"CSV UTF-8\") and run again.");
        }
    }

    /// <summary>The 1-based line of a byte, lines ending as <see cref="StringReader.ReadLine"/> ends them (CRLF, CR or LF).</summary>
    private static int LineAt(byte[] bytes, int index)
    {
        var line = 1;
        for (var i = 0; i < Math.Min(index, bytes.Length); i++)
        {
            if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bytes.Length || bytes[i + 1] != '\n')))
            {
                line++;
            }
        }

        return line;
    }

    private static async Task ReadJsonAsync(string path, Rows result, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        // Decoded as a CSV manifest is (a byte order mark, UTF-16), then given to the reader as the UTF-8 it reads.
        var text = Decode(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), name);
        ReadJson(Encoding.UTF8.GetBytes(text), name, result);
    }

    /// <summary>
    /// Reads the rows of a JSON manifest by hand rather than by a contract, so that names are matched as the CSV header's
    /// are (whatever their case) and a name that is not a column, or one given twice, is an error of its row, not dropped.
    /// </summary>
    private static void ReadJson(byte[] bytes, string name, Rows result)
    {
        if (bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            throw new CliException($"{name} is not a JSON manifest: it must be an array of rows, [{{\"model\": \"https://…\", \"upper\": \"https://…\"}}, …], and it is empty.");
        }

        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw new CliException($"{name} is not a JSON manifest: it must be an array of rows, [{{\"model\": \"https://…\", \"upper\": \"https://…\"}}, …], and it {Describe(reader.TokenType)}.");
            }

            var item = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                item++;
                var where = $"{name} item {item}";
                switch (reader.TokenType)
                {
                    case JsonTokenType.Null:
                        result.Add(new ManifestRow(), where);
                        break;
                    case JsonTokenType.StartObject:
                        var (row, problem) = ReadRow(ref reader, bytes, name, item);
                        if (problem is null)
                        {
                            result.Add(row, where);
                        }
                        else
                        {
                            result.Fail(problem, row.Id);
                        }

                        break;
                    default:
                        throw NotRows(name, $"$[{item - 1}]", bytes, reader.TokenStartIndex, reader.TokenType, value: false);
                }
            }

            // Only comments may follow the array: the reader refuses a second value.
            while (reader.Read())
            {
            }
        }
        catch (JsonException exception)
        {
            throw new CliException($"{name} is not valid JSON (line {exception.LineNumber + 1}): it must be an array of rows, each an object of strings ({string.Join(", ", Columns)}).");
        }
    }

    /// <summary>
    /// One object of a JSON manifest, the reader on its start and left on its end: the row, and what is wrong with its
    /// names (the first problem), if anything.
    /// </summary>
    private static (ManifestRow Row, string? Problem) ReadRow(ref Utf8JsonReader reader, byte[] bytes, string name, int item)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var spelled = new Dictionary<string, string>(StringComparer.Ordinal);
        string? problem = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.GetString()!;
            var column = property.ToLowerInvariant();
            reader.Read();
            if (!Columns.Contains(column))
            {
                problem ??= $"{name} item {item}: unknown property '{property}'; {NamesHint(property, "names")}.";
                reader.Skip();
                continue;
            }

            var value = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Null => null,
                _ => throw NotRows(name, $"$[{item - 1}].{property}", bytes, reader.TokenStartIndex, reader.TokenType, value: true),
            };
            if (spelled.TryGetValue(column, out var first))
            {
                var both = first == property ? string.Empty : $" ('{first}' and '{property}'; names match whatever their case)";
                problem ??= $"{name} item {item}: the property '{column}' is given twice{both}; each may appear once: remove or rename one.";
                continue;
            }

            spelled[column] = property;
            values[column] = value;
        }

        return (ManifestRow.From(values.GetValueOrDefault), problem);
    }

    /// <summary>A value of a JSON manifest that is not what a row is made of (a number where a string belongs, an item that is not an object).</summary>
    private static CliException NotRows(string name, string jsonPath, byte[] bytes, long index, JsonTokenType token, bool value) =>
        new($"{name} is not a manifest at {jsonPath} (line {LineAt(bytes, (int)index)}): {(value ? "the value" : "the item")} is {What(token)}, and each row is an object of strings ({string.Join(", ", Columns)}){(value && token == JsonTokenType.Number ? "; write a number in quotes (\"id\": \"1001\")" : string.Empty)}.");

    /// <summary>What a JSON value is, for a person.</summary>
    private static string What(JsonTokenType token) => token switch
    {
        JsonTokenType.Number => "a number",
        JsonTokenType.String => "a string",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.True or JsonTokenType.False => "true or false",
        _ => token.ToString(),
    };

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.None => "is empty",
        JsonTokenType.StartObject => "is a single object; put the rows in [ ]",
        JsonTokenType.String => "is a string",
        JsonTokenType.Number => "is a number",
        _ => $"starts with {token}",
    };

    /// <summary>The rows read so far, numbered from 1 in the order of the file, usable or not.</summary>
    private sealed class Rows(string folder)
    {
        public List<ManifestEntry> Entries { get; } = [];

        public List<ManifestError> Errors { get; } = [];

        private int _count;

        public void Add(ManifestRow row, string where)
        {
            var number = ++_count;
            try
            {
                Entries.Add(ToEntry(row, number, where, folder));
            }
            catch (CliException exception)
            {
                Fail(exception.Message, row.Id, number);
            }
        }

        /// <summary>A row that cannot be used, for <paramref name="message"/>; numbered as the next one when <paramref name="number"/> is not given.</summary>
        public void Fail(string message, string? id, int number = 0) =>
            Errors.Add(new ManifestError(number > 0 ? number : ++_count, message, string.IsNullOrWhiteSpace(id) ? null : id.Trim()));
    }

    private static ManifestEntry ToEntry(ManifestRow row, int number, string where, string folder)
    {
        TryOnImage? Image(string? text, string column) => string.IsNullOrWhiteSpace(text) ? null : ImageText.Parse(text.Trim(), folder, $"{where}: {column}");

        var model = Image(row.Model, ManifestImage.Model) ?? throw new CliException($"{where}: model is empty; every row needs a model image (a URL, or a local file's path).");
        var kind = TaskOptions.ParseKind(row.Kind, $"{where}: kind");
        GarmentImage? Garment(string? text, string column) => Image(text, column) is { } image ? new GarmentImage(image, kind) : null;
        WrittenGarment? Written(string? text) => string.IsNullOrWhiteSpace(text) ? null : new WrittenGarment(text.Trim(), kind);
        var mode = TaskOptions.ParseMode(row.Mode, $"{where}: mode");
        var task = new TryOnTask(
            model,
            Garment(row.Upper, ManifestImage.Upper),
            Garment(row.Lower, ManifestImage.Lower),
            Garment(row.FullBody, ManifestImage.FullBody),
            mode);
        if (task.Upper is null && task.Lower is null && task.FullBody is null)
        {
            throw new CliException($"{where}: no garment; set at least one of upper, lower, full_body.");
        }

        var id = string.IsNullOrWhiteSpace(row.Id) ? ManifestEntry.PositionalId(number) : row.Id.Trim();
        if (id.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || id.IndexOfAny(['/', '\\', ':', '*', '?', '"', '<', '>', '|']) >= 0 || id is "." or "..")
        {
            throw new CliException($"{where}: id '{id}' cannot be part of a file name.");
        }

        // Refused here, before the job is billed: too long, every image of the row would fail to save.
        if (Encoding.UTF8.GetByteCount(id) is var bytes and > MaxIdBytes)
        {
            throw new CliException($"{where}: id is {bytes} bytes in UTF-8, too long to name its image files ({id[..(char.IsHighSurrogate(id[15]) ? 15 : 16)]}…-<n>.png): the file system limits a file name to 255 bytes, so give an id of at most {MaxIdBytes} bytes.");
        }

        return new ManifestEntry(number, id, task, new WrittenTask(row.Model!.Trim(), Written(row.Upper), Written(row.Lower), Written(row.FullBody), mode));
    }
}
