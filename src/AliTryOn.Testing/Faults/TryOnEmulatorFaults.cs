using System;
using System.Collections.Generic;

namespace AliTryOn.Testing;

/// <summary>
/// The faults scripted on an emulator. Each rule applies to one operation: a number of times, always, or with a
/// probability. Rules are tried in the order they were added; the first that fires decides. Thread-safe.
/// </summary>
public sealed class TryOnEmulatorFaults
{
    private readonly List<FaultRule> _rules = [];
    private readonly Random _random;

    internal TryOnEmulatorFaults(int? seed) => _random = seed is { } value ? new Random(value) : new Random();

    /// <summary>Injects <paramref name="fault"/> into the next <paramref name="times"/> requests of <paramref name="operation"/>.</summary>
    /// <param name="operation">The operation to affect.</param>
    /// <param name="fault">The fault.</param>
    /// <param name="times">How many requests to affect; default 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fault"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="times"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The fault does not apply to the operation (a task failure is a submit fault).</exception>
    public void Add(TryOnEmulatorOperation operation, TryOnEmulatorFault fault, int times = 1)
    {
        if (times < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(times), times, "A fault applies at least once.");
        }

        AddRule(new FaultRule(operation, Check(operation, fault), times, Probability: 1));
    }

    /// <summary>Injects <paramref name="fault"/> into every request of <paramref name="operation"/> until <see cref="Clear"/>.</summary>
    /// <param name="operation">The operation to affect.</param>
    /// <param name="fault">The fault.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fault"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The fault does not apply to the operation.</exception>
    public void AddAlways(TryOnEmulatorOperation operation, TryOnEmulatorFault fault) =>
        AddRule(new FaultRule(operation, Check(operation, fault), Remaining: null, Probability: 1));

    /// <summary>Injects <paramref name="fault"/> into each request of <paramref name="operation"/> with the given probability.</summary>
    /// <param name="operation">The operation to affect.</param>
    /// <param name="fault">The fault.</param>
    /// <param name="probability">From 0 to 1; seed the random source with <see cref="TryOnEmulatorOptions.RandomSeed"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fault"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is outside 0 to 1.</exception>
    /// <exception cref="ArgumentException">The fault does not apply to the operation.</exception>
    public void AddRandom(TryOnEmulatorOperation operation, TryOnEmulatorFault fault, double probability)
    {
        if (double.IsNaN(probability) || probability < 0 || probability > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "A probability is from 0 to 1.");
        }

        AddRule(new FaultRule(operation, Check(operation, fault), Remaining: null, probability));
    }

    /// <summary>Removes every scripted fault.</summary>
    public void Clear()
    {
        lock (_rules)
        {
            _rules.Clear();
        }
    }

    /// <summary>The fault that strikes the current request of <paramref name="operation"/>, if any, consuming one use of its rule.</summary>
    internal TryOnEmulatorFault? Next(TryOnEmulatorOperation operation)
    {
        lock (_rules)
        {
            for (var i = 0; i < _rules.Count; i++)
            {
                var rule = _rules[i];
                if (rule.Operation != operation || (rule.Probability < 1 && _random.NextDouble() >= rule.Probability))
                {
                    continue;
                }

                if (rule.Remaining is { } remaining)
                {
                    if (remaining <= 1)
                    {
                        _rules.RemoveAt(i);
                    }
                    else
                    {
                        _rules[i] = rule with { Remaining = remaining - 1 };
                    }
                }

                return rule.Fault;
            }
        }

        return null;
    }

    private static TryOnEmulatorFault Check(TryOnEmulatorOperation operation, TryOnEmulatorFault fault)
    {
        if (fault is null)
        {
            throw new ArgumentNullException(nameof(fault));
        }

        if (fault.Kind is TryOnEmulatorFault.FaultKind.TaskFailed or TryOnEmulatorFault.FaultKind.NotFoundAfterSubmit && operation != TryOnEmulatorOperation.Submit)
        {
            throw new ArgumentException($"This fault ({fault}) is decided when the job is submitted: add it to TryOnEmulatorOperation.Submit.", nameof(fault));
        }

        return fault;
    }

    private void AddRule(FaultRule rule)
    {
        lock (_rules)
        {
            _rules.Add(rule);
        }
    }

    private sealed record FaultRule(TryOnEmulatorOperation Operation, TryOnEmulatorFault Fault, int? Remaining, double Probability);
}
