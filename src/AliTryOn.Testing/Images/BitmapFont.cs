using System;

namespace AliTryOn.Testing.Images;

/// <summary>
/// A fixed 5x7 bitmap font for the emulator's result images: digits, A to Z, space and the punctuation
/// that appears in URLs and labels. Lowercase letters are drawn as uppercase; anything else as <c>?</c>.
/// </summary>
internal static class BitmapFont
{
    /// <summary>The width of a glyph in font pixels.</summary>
    public const int GlyphWidth = 5;

    /// <summary>The height of a glyph in font pixels.</summary>
    public const int GlyphHeight = 7;

    /// <summary>The horizontal distance from one glyph to the next in font pixels (one column of spacing).</summary>
    public const int Advance = GlyphWidth + 1;

    /// <summary>The characters with a glyph of their own, in the order of the glyph table.</summary>
    public const string SupportedCharacters = " 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ:/.-_#(),?+=%&!'~";

    private const char Fallback = '?';

    // GlyphHeight rows per character of SupportedCharacters, top to bottom; bit 4 is the leftmost column.
    private static readonly byte[] Glyphs =
    [
        0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b00000, // space
        0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110, // 0
        0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110, // 1
        0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111, // 2
        0b11111, 0b00010, 0b00100, 0b00010, 0b00001, 0b10001, 0b01110, // 3
        0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010, // 4
        0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110, // 5
        0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110, // 6
        0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000, // 7
        0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110, // 8
        0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100, // 9
        0b01110, 0b10001, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, // A
        0b11110, 0b10001, 0b10001, 0b11110, 0b10001, 0b10001, 0b11110, // B
        0b01110, 0b10001, 0b10000, 0b10000, 0b10000, 0b10001, 0b01110, // C
        0b11100, 0b10010, 0b10001, 0b10001, 0b10001, 0b10010, 0b11100, // D
        0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b11111, // E
        0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b10000, // F
        0b01110, 0b10001, 0b10000, 0b10111, 0b10001, 0b10001, 0b01111, // G
        0b10001, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001, // H
        0b01110, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110, // I
        0b00111, 0b00010, 0b00010, 0b00010, 0b00010, 0b10010, 0b01100, // J
        0b10001, 0b10010, 0b10100, 0b11000, 0b10100, 0b10010, 0b10001, // K
        0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b11111, // L
        0b10001, 0b11011, 0b10101, 0b10101, 0b10001, 0b10001, 0b10001, // M
        0b10001, 0b10001, 0b11001, 0b10101, 0b10011, 0b10001, 0b10001, // N
        0b01110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110, // O
        0b11110, 0b10001, 0b10001, 0b11110, 0b10000, 0b10000, 0b10000, // P
        0b01110, 0b10001, 0b10001, 0b10001, 0b10101, 0b10010, 0b01101, // Q
        0b11110, 0b10001, 0b10001, 0b11110, 0b10100, 0b10010, 0b10001, // R
        0b01111, 0b10000, 0b10000, 0b01110, 0b00001, 0b00001, 0b11110, // S
        0b11111, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, // T
        0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110, // U
        0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01010, 0b00100, // V
        0b10001, 0b10001, 0b10001, 0b10101, 0b10101, 0b10101, 0b01010, // W
        0b10001, 0b10001, 0b01010, 0b00100, 0b01010, 0b10001, 0b10001, // X
        0b10001, 0b10001, 0b10001, 0b01010, 0b00100, 0b00100, 0b00100, // Y
        0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b10000, 0b11111, // Z
        0b00000, 0b01100, 0b01100, 0b00000, 0b01100, 0b01100, 0b00000, // :
        0b00000, 0b00001, 0b00010, 0b00100, 0b01000, 0b10000, 0b00000, // /
        0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b01100, 0b01100, // .
        0b00000, 0b00000, 0b00000, 0b11111, 0b00000, 0b00000, 0b00000, // -
        0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b11111, // _
        0b01010, 0b01010, 0b11111, 0b01010, 0b11111, 0b01010, 0b01010, // #
        0b00010, 0b00100, 0b01000, 0b01000, 0b01000, 0b00100, 0b00010, // (
        0b01000, 0b00100, 0b00010, 0b00010, 0b00010, 0b00100, 0b01000, // )
        0b00000, 0b00000, 0b00000, 0b00000, 0b01100, 0b00100, 0b01000, // ,
        0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b00000, 0b00100, // ?
        0b00000, 0b00100, 0b00100, 0b11111, 0b00100, 0b00100, 0b00000, // +
        0b00000, 0b00000, 0b11111, 0b00000, 0b11111, 0b00000, 0b00000, // =
        0b11000, 0b11001, 0b00010, 0b00100, 0b01000, 0b10011, 0b00011, // %
        0b01100, 0b10010, 0b10100, 0b01000, 0b10101, 0b10010, 0b01101, // &
        0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00000, 0b00100, // !
        0b01100, 0b00100, 0b01000, 0b00000, 0b00000, 0b00000, 0b00000, // '
        0b00000, 0b00000, 0b01000, 0b10101, 0b00010, 0b00000, 0b00000, // ~
    ];

    /// <summary>
    /// The <see cref="GlyphHeight"/> rows of the glyph drawn for <paramref name="c"/>, top to bottom;
    /// bit 4 of a row is its leftmost column.
    /// </summary>
    public static ReadOnlySpan<byte> GetGlyph(char c)
    {
        var index = SupportedCharacters.IndexOf(ToUpperAscii(c), StringComparison.Ordinal);
        if (index < 0)
        {
            index = SupportedCharacters.IndexOf(Fallback, StringComparison.Ordinal);
        }

        return Glyphs.AsSpan(index * GlyphHeight, GlyphHeight);
    }

    /// <summary>Whether <paramref name="c"/> is drawn as itself (or its uppercase) rather than as <c>?</c>.</summary>
    public static bool IsSupported(char c) => SupportedCharacters.Contains(ToUpperAscii(c), StringComparison.Ordinal);

    /// <summary>The width in image pixels of <paramref name="length"/> characters drawn at <paramref name="scale"/>, without trailing spacing.</summary>
    public static int MeasureWidth(int length, int scale) => length <= 0 ? 0 : ((length * Advance) - 1) * scale;

    // Only ASCII is folded: culture-aware casing could map other letters onto glyphs they do not resemble.
    private static char ToUpperAscii(char c) => c is >= 'a' and <= 'z' ? (char)(c - ('a' - 'A')) : c;
}
