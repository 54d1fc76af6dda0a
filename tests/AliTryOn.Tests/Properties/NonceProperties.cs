using System.Globalization;
using System.Text.RegularExpressions;
using AliTryOn.Http;

namespace AliTryOn.Tests.Properties;

public partial class NonceProperties
{
    private const int Draws = 1_000_000;

    [Fact]
    public void A_million_nonces_are_distinct_32_digit_lowercase_hex() => AssertDistinctLowercaseHex(Nonce.Create);

    [Fact]
    public void A_million_nonces_from_one_shared_generator_are_distinct_32_digit_lowercase_hex()
    {
        // One generator for every thread, as one authentication handler serves all its concurrent requests: its
        // batch of random bytes must never hand the same bytes out twice, nor hand out bytes it has not filled.
        var generator = new NonceGenerator();
        AssertDistinctLowercaseHex(generator.Create);
    }

    private static void AssertDistinctLowercaseHex(Func<string> create)
    {
        // Kept as 128-bit numbers, sorted, rather than a set of strings: 16 MB instead of over 100 MB. Drawn from
        // several threads at once, as concurrent requests sign theirs; that also spreads the generator's cost.
        var values = new UInt128[Draws];
        string? malformed = null;
        Parallel.For(0, Draws, i =>
        {
            var nonce = create();
            if (LowercaseHex().IsMatch(nonce))
            {
                values[i] = UInt128.Parse(nonce, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            }
            else
            {
                Interlocked.CompareExchange(ref malformed, nonce, null);
            }
        });

        Assert.True(malformed is null, $"Nonce \"{malformed}\" is not 32 lowercase hex digits.");
        Array.Sort(values);
        for (var i = 1; i < Draws; i++)
        {
            Assert.True(values[i] != values[i - 1], $"Nonce {values[i]:x32} was drawn twice.");
        }
    }

    // \z, not $: $ would also accept a trailing newline.
    [GeneratedRegex(@"\A[0-9a-f]{32}\z", RegexOptions.CultureInvariant)]
    private static partial Regex LowercaseHex();
}
