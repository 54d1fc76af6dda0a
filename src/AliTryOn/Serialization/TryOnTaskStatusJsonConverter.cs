namespace AliTryOn.Serialization;

/// <summary>Writes a <see cref="TryOnTaskStatus"/> as its string (<c>"SUCCESS"</c>) and reads it back. Applied to the type itself.</summary>
public sealed class TryOnTaskStatusJsonConverter : StringValueJsonConverter<TryOnTaskStatus>
{
    /// <inheritdoc/>
    protected override string Example => "\"SUCCESS\"";

    /// <inheritdoc/>
    protected override TryOnTaskStatus Create(string value) => new(value);

    /// <inheritdoc/>
    protected override string ValueOf(TryOnTaskStatus value) => value.Value;
}
