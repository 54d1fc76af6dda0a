namespace AliTryOn.Serialization;

/// <summary>Writes a <see cref="TryOnSeverity"/> as its string (<c>"info"</c>) and reads it back. Applied to the type itself.</summary>
public sealed class TryOnSeverityJsonConverter : StringValueJsonConverter<TryOnSeverity>
{
    /// <inheritdoc/>
    protected override string Example => "\"info\"";

    /// <inheritdoc/>
    protected override TryOnSeverity Create(string value) => new(value);

    /// <inheritdoc/>
    protected override string ValueOf(TryOnSeverity value) => value.Value;
}
