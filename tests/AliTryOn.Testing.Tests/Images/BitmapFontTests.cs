using AliTryOn.Testing.Images;

namespace AliTryOn.Testing.Tests.Images;

public class BitmapFontTests
{
    private const string Required = " 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ:/.-_#(),?";

    [Fact]
    public void Every_required_character_has_a_glyph_of_its_own()
    {
        Assert.All(Required, c => Assert.True(BitmapFont.IsSupported(c), $"'{c}' is not supported."));
        var question = BitmapFont.GetGlyph('?').ToArray();
        Assert.All(Required.Where(c => c != '?'), c => Assert.NotEqual(question, BitmapFont.GetGlyph(c).ToArray()));
    }

    [Fact]
    public void Glyphs_are_7_rows_of_5_columns()
    {
        Assert.All(BitmapFont.SupportedCharacters, c =>
        {
            var glyph = BitmapFont.GetGlyph(c);
            Assert.Equal(BitmapFont.GlyphHeight, glyph.Length);
            Assert.All(glyph.ToArray(), row => Assert.InRange(row, 0, (1 << BitmapFont.GlyphWidth) - 1));
        });
    }

    [Fact]
    public void No_two_characters_share_a_glyph()
    {
        var glyphs = BitmapFont.SupportedCharacters.Select(c => Convert.ToHexString(BitmapFont.GetGlyph(c))).ToList();

        Assert.Equal(glyphs.Count, glyphs.Distinct().Count());
    }

    [Fact]
    public void Only_space_is_blank()
    {
        Assert.All(BitmapFont.GetGlyph(' ').ToArray(), row => Assert.Equal(0, row));
        Assert.All(
            BitmapFont.SupportedCharacters.Where(c => c != ' '),
            c => Assert.Contains(BitmapFont.GetGlyph(c).ToArray(), row => row != 0));
    }

    [Fact]
    public void Lowercase_letters_are_drawn_as_uppercase()
    {
        for (var c = 'a'; c <= 'z'; c++)
        {
            Assert.True(BitmapFont.IsSupported(c));
            Assert.Equal(BitmapFont.GetGlyph(char.ToUpperInvariant(c)).ToArray(), BitmapFont.GetGlyph(c).ToArray());
        }
    }

    [Theory]
    [InlineData('é')]
    [InlineData('€')]
    [InlineData('\t')]
    [InlineData('<')]
    [InlineData('中')]
    public void Unknown_characters_are_drawn_as_a_question_mark(char c)
    {
        Assert.False(BitmapFont.IsSupported(c));
        Assert.Equal(BitmapFont.GetGlyph('?').ToArray(), BitmapFont.GetGlyph(c).ToArray());
    }

    [Theory]
    [InlineData(0, 3, 0)]
    [InlineData(1, 1, 5)]
    [InlineData(1, 2, 10)]
    [InlineData(3, 2, 34)]
    public void Measured_width_leaves_out_the_spacing_after_the_last_glyph(int length, int scale, int expected)
    {
        Assert.Equal(expected, BitmapFont.MeasureWidth(length, scale));
    }
}
