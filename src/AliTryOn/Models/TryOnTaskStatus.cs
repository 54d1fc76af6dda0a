using System;
using System.ComponentModel;
using System.Text.Json.Serialization;
using AliTryOn.Serialization;

namespace AliTryOn;

/// <summary>
/// The status of one task of a try-on job. An extensible value: the four documented statuses are provided as
/// properties, and any other string the service sends is carried through unchanged.
/// </summary>
/// <remarks>Comparison ignores case; <see cref="Value"/> keeps the service's spelling. In JSON it is its <see cref="Value"/>, a string.</remarks>
[JsonConverter(typeof(TryOnTaskStatusJsonConverter))]
public readonly struct TryOnTaskStatus : IEquatable<TryOnTaskStatus>
{
    private readonly string? _value;

    /// <summary>Creates a status from its wire value.</summary>
    /// <param name="value">The status as the service spells it, for example <c>WAITING</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public TryOnTaskStatus(string value) => _value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>The task is queued (<c>WAITING</c>).</summary>
    public static TryOnTaskStatus Waiting { get; } = new("WAITING");

    /// <summary>The task is being generated (<c>RUNNING</c>).</summary>
    public static TryOnTaskStatus Running { get; } = new("RUNNING");

    /// <summary>The task finished and has result images (<c>SUCCESS</c>).</summary>
    public static TryOnTaskStatus Succeeded { get; } = new("SUCCESS");

    /// <summary>The task failed (<c>FAILED</c>).</summary>
    public static TryOnTaskStatus Failed { get; } = new("FAILED");

    /// <summary>The status as the service spelled it; empty for a <see langword="default"/> value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>
    /// Whether the task has finished, successfully or not (<see cref="Succeeded"/> or <see cref="Failed"/>).
    /// Unknown statuses are not terminal, so a poller keeps waiting on them until its time limit.
    /// </summary>
    public bool IsTerminal => Equals(Succeeded) || Equals(Failed);

    /// <summary>Whether this is one of the four documented statuses.</summary>
    public bool IsKnown => IsTerminal || Equals(Waiting) || Equals(Running);

    /// <summary>
    /// The documented spelling of a known status (<c>SUCCESS</c> for <c>success</c>), otherwise <see cref="Value"/>: for
    /// metric tags and span tags, whose series a service's other spelling must not split.
    /// </summary>
    internal string Name =>
        Equals(Succeeded) ? Succeeded.Value
        : Equals(Failed) ? Failed.Value
        : Equals(Running) ? Running.Value
        : Equals(Waiting) ? Waiting.Value
        : Value;

    /// <summary>Compares two statuses, ignoring case.</summary>
    /// <param name="left">The first status.</param>
    /// <param name="right">The second status.</param>
    public static bool operator ==(TryOnTaskStatus left, TryOnTaskStatus right) => left.Equals(right);

    /// <summary>Compares two statuses, ignoring case.</summary>
    /// <param name="left">The first status.</param>
    /// <param name="right">The second status.</param>
    public static bool operator !=(TryOnTaskStatus left, TryOnTaskStatus right) => !left.Equals(right);

    /// <summary>Converts a wire value to a status.</summary>
    /// <param name="value">The status as the service spells it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public static implicit operator TryOnTaskStatus(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(TryOnTaskStatus other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override bool Equals(object? obj) => obj is TryOnTaskStatus other && Equals(other);

    /// <inheritdoc/>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <summary>Returns <see cref="Value"/>.</summary>
    public override string ToString() => Value;
}
