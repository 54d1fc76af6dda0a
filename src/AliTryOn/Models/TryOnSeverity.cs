using System;
using System.ComponentModel;
using System.Text.Json.Serialization;
using AliTryOn.Serialization;

namespace AliTryOn;

/// <summary>
/// The service's undocumented <c>severity</c> of an answer. An extensible value, like <see cref="TryOnTaskStatus"/>: the
/// values seen are provided as properties, and any other string the service sends is carried through unchanged.
/// In JSON it is its <see cref="Value"/>, a string.
/// </summary>
/// <remarks>Comparison ignores case; <see cref="Value"/> keeps the service's spelling.</remarks>
[JsonConverter(typeof(TryOnSeverityJsonConverter))]
public readonly struct TryOnSeverity : IEquatable<TryOnSeverity>
{
    private readonly string? _value;

    /// <summary>Creates a severity from its wire value.</summary>
    /// <param name="value">The severity as the service spells it, for example <c>info</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public TryOnSeverity(string value) => _value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>An ordinary answer (<c>info</c>), as on every success.</summary>
    public static TryOnSeverity Info { get; } = new("info");

    /// <summary>An error answer (<c>error</c>).</summary>
    public static TryOnSeverity Error { get; } = new("error");

    /// <summary>The severity as the service spelled it; empty for a <see langword="default"/> value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Compares two severities, ignoring case.</summary>
    /// <param name="left">The first severity.</param>
    /// <param name="right">The second severity.</param>
    public static bool operator ==(TryOnSeverity left, TryOnSeverity right) => left.Equals(right);

    /// <summary>Compares two severities, ignoring case.</summary>
    /// <param name="left">The first severity.</param>
    /// <param name="right">The second severity.</param>
    public static bool operator !=(TryOnSeverity left, TryOnSeverity right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(TryOnSeverity other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override bool Equals(object? obj) => obj is TryOnSeverity other && Equals(other);

    /// <inheritdoc/>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <summary>Returns <see cref="Value"/>.</summary>
    public override string ToString() => Value;
}
