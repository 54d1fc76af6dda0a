using System;
using System.Globalization;

namespace AliTryOn.Testing.Images;

/// <summary>
/// Draws the emulator's placeholder "try-on result": a mannequin wearing coloured blocks for the submitted
/// garments, on a background that tells jobs, tasks and results apart, with panels of text saying what it is.
/// </summary>
/// <remarks>
/// Colours are 0xRRGGBB. Everything is drawn with flat colours and no anti-aliasing, so tests can find a colour
/// by exact comparison; the background and figure colours are chosen so they can never equal the garment,
/// panel or text colours.
/// </remarks>
internal static class ResultImageRenderer
{
    /// <summary>The width of every result image in pixels.</summary>
    public const int Width = 480;

    /// <summary>The height of every result image in pixels.</summary>
    public const int Height = 640;

    /// <summary>The colour of the upper garment, drawn on the torso and upper arms.</summary>
    public const int UpperColor = 0xE4572E;

    /// <summary>The colour of the lower garment, drawn on the hips and legs.</summary>
    public const int LowerColor = 0x2E5EAA;

    /// <summary>The colour of the full-body garment, drawn as a dress over torso and legs.</summary>
    public const int FullBodyColor = 0x9B3D9C;

    /// <summary>The colour of the text panels.</summary>
    public const int PanelColor = 0xF7F7F2;

    /// <summary>The colour of all text.</summary>
    public const int TextColor = 0x1F2328;

    private const int FigureColor = 0x7A8190;
    private const int ShoeColor = 0x3A3F4B;

    private const int Margin = 16;
    private const int Padding = 12;
    private const int TitleScale = 3;
    private const int TextScale = 2;
    private const int LineGap = 6;
    private const int LinePitch = (BitmapFont.GlyphHeight * TextScale) + LineGap;
    private const int TextLeft = Margin + Padding;
    private const int MaxTextWidth = Width - (2 * TextLeft);
    private const int CenterX = Width / 2;
    private const int JobIdLength = 8;
    private const string Ellipsis = "...";

    /// <summary>
    /// Renders <paramref name="card"/> as a complete PNG file (8-bit RGB, no interlace).
    /// The same card always gives the same bytes.
    /// </summary>
    /// <exception cref="ArgumentNullException">The card, its result key or its model image is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The task or result index is negative.</exception>
    public static byte[] Render(ResultCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(card.ResultKey);
        ArgumentNullException.ThrowIfNull(card.ModelImage);
        ArgumentOutOfRangeException.ThrowIfNegative(card.TaskIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(card.ResultIndex);

        var pixels = new byte[Width * Height * 3];
        var background = BackgroundColor(card);
        FillRect(pixels, 0, 0, Width, Height, background);
        DrawFigure(pixels, card, background);
        DrawHeader(pixels, card);
        DrawFooter(pixels, card);
        return PngEncoder.Encode(Width, Height, pixels);
    }

    private static void DrawHeader(byte[] pixels, ResultCard card)
    {
        var titleHeight = BitmapFont.GlyphHeight * TitleScale;
        var bottom = Margin + Padding + titleHeight + (LineGap * 2) + (3 * LinePitch) - LineGap + Padding;
        FillRect(pixels, Margin, Margin, Width - Margin, bottom, PanelColor);

        var y = Margin + Padding;
        DrawText(pixels, TextLeft, y, "ALITRYON EMULATOR", TitleScale);
        y += titleHeight + (LineGap * 2);

        var jobId = card.ResultKey.Length > JobIdLength ? card.ResultKey[..JobIdLength] : card.ResultKey;
        DrawText(pixels, TextLeft, y, "JOB " + jobId, TextScale);
        y += LinePitch;
        DrawText(pixels, TextLeft, y, string.Create(CultureInfo.InvariantCulture, $"TASK {card.TaskIndex} RESULT {card.ResultIndex}"), TextScale);
        y += LinePitch;
        DrawText(pixels, TextLeft, y, card.Quality ? "MODE QUALITY" : "MODE FAST", TextScale);
    }

    private static void DrawFooter(byte[] pixels, ResultCard card)
    {
        Span<string?> candidates =
        [
            card.Upper is null ? null : "UPPER: " + LastSegment(card.Upper),
            card.Lower is null ? null : "LOWER: " + LastSegment(card.Lower),
            card.FullBody is null ? null : "FULL: " + LastSegment(card.FullBody),
            "MODEL: " + LastSegment(card.ModelImage),
        ];

        var count = 0;
        foreach (var line in candidates)
        {
            count += line is null ? 0 : 1;
        }

        // The panel grows upwards from the bottom margin, so it only covers as much as its lines need.
        var bottom = Height - Margin;
        var top = bottom - Padding - (count * LinePitch) + LineGap - Padding;
        FillRect(pixels, Margin, top, Width - Margin, bottom, PanelColor);

        var y = top + Padding;
        foreach (var line in candidates)
        {
            if (line is not null)
            {
                DrawText(pixels, TextLeft, y, line, TextScale);
                y += LinePitch;
            }
        }
    }

    private static void DrawFigure(byte[] pixels, ResultCard card, int background)
    {
        // Floor shadow, then the mannequin: head, neck, arms, torso, legs and shoes.
        FillEllipse(pixels, CenterX, 498, 96, 12, Scale(background, 0.8));
        FillEllipse(pixels, CenterX, 178, 30, 30, FigureColor);
        FillRect(pixels, CenterX - 12, 204, CenterX + 12, 224, FigureColor);
        FillRect(pixels, CenterX - 80, 224, CenterX - 52, 352, FigureColor);
        FillRect(pixels, CenterX + 52, 224, CenterX + 80, 352, FigureColor);
        FillRect(pixels, CenterX - 52, 220, CenterX + 52, 342, FigureColor);
        FillRect(pixels, CenterX - 46, 340, CenterX - 4, 488, FigureColor);
        FillRect(pixels, CenterX + 4, 340, CenterX + 46, 488, FigureColor);
        FillRect(pixels, CenterX - 52, 486, CenterX - 4, 498, ShoeColor);
        FillRect(pixels, CenterX + 4, 486, CenterX + 52, 498, ShoeColor);

        // Full body first, so separate upper and lower garments (if a card has them too) are drawn over it
        // while its skirt still shows around them.
        if (card.FullBody is not null)
        {
            FillRect(pixels, CenterX - 56, 218, CenterX + 56, 342, FullBodyColor);
            FillRect(pixels, CenterX - 82, 222, CenterX - 50, 300, FullBodyColor);
            FillRect(pixels, CenterX + 50, 222, CenterX + 82, 300, FullBodyColor);
            FillTrapezoid(pixels, 342, 470, 56, 88, FullBodyColor);
        }

        if (card.Upper is not null)
        {
            FillRect(pixels, CenterX - 56, 218, CenterX + 56, 346, UpperColor);
            FillRect(pixels, CenterX - 82, 222, CenterX - 50, 290, UpperColor);
            FillRect(pixels, CenterX + 50, 222, CenterX + 82, 290, UpperColor);
        }

        if (card.Lower is not null)
        {
            FillRect(pixels, CenterX - 50, 340, CenterX + 50, 360, LowerColor);
            FillRect(pixels, CenterX - 50, 340, CenterX - 2, 482, LowerColor);
            FillRect(pixels, CenterX + 2, 340, CenterX + 50, 482, LowerColor);
        }
    }

    private static string LastSegment(string url)
    {
        var path = url.AsSpan();
        var end = path.IndexOfAny('?', '#');
        if (end >= 0)
        {
            path = path[..end];
        }

        path = path.TrimEnd('/');
        var segment = path[(path.LastIndexOf('/') + 1)..];
        return segment.IsEmpty ? "-" : segment.ToString();
    }

    private static void DrawText(byte[] pixels, int x, int y, string text, int scale)
    {
        // Too long for the panel: keep the start, which says the most, and mark the cut.
        var maxChars = ((MaxTextWidth / scale) + 1) / BitmapFont.Advance;
        if (text.Length > maxChars)
        {
            text = string.Concat(text.AsSpan(0, maxChars - Ellipsis.Length), Ellipsis);
        }

        foreach (var c in text)
        {
            var glyph = BitmapFont.GetGlyph(c);
            for (var row = 0; row < BitmapFont.GlyphHeight; row++)
            {
                var bits = glyph[row];
                for (var column = 0; column < BitmapFont.GlyphWidth; column++)
                {
                    if ((bits & (1 << (BitmapFont.GlyphWidth - 1 - column))) != 0)
                    {
                        var left = x + (column * scale);
                        var top = y + (row * scale);
                        FillRect(pixels, left, top, left + scale, top + scale, TextColor);
                    }
                }
            }

            x += BitmapFont.Advance * scale;
        }
    }

    // Right and bottom are exclusive; anything outside the image is clipped.
    private static void FillRect(byte[] pixels, int left, int top, int right, int bottom, int color)
    {
        left = Math.Max(left, 0);
        top = Math.Max(top, 0);
        right = Math.Min(right, Width);
        bottom = Math.Min(bottom, Height);
        if (left >= right || top >= bottom)
        {
            return;
        }

        var first = pixels.AsSpan(((top * Width) + left) * 3, (right - left) * 3);
        for (var i = 0; i < first.Length; i += 3)
        {
            first[i] = (byte)(color >> 16);
            first[i + 1] = (byte)(color >> 8);
            first[i + 2] = (byte)color;
        }

        for (var y = top + 1; y < bottom; y++)
        {
            first.CopyTo(pixels.AsSpan(((y * Width) + left) * 3));
        }
    }

    private static void FillEllipse(byte[] pixels, int centerX, int centerY, int radiusX, int radiusY, int color)
    {
        // Integer arithmetic only, so the outline is the same on every platform.
        long rx2 = radiusX * radiusX;
        long ry2 = radiusY * radiusY;
        for (var dy = -radiusY; dy <= radiusY; dy++)
        {
            var limit = (rx2 * ry2) - (dy * dy * rx2);
            var dx = 0;
            while ((dx + 1) * (dx + 1) * ry2 <= limit)
            {
                dx++;
            }

            FillRect(pixels, centerX - dx, centerY + dy, centerX + dx + 1, centerY + dy + 1, color);
        }
    }

    // Centred on the figure, widening linearly from topHalfWidth to bottomHalfWidth.
    private static void FillTrapezoid(byte[] pixels, int top, int bottom, int topHalfWidth, int bottomHalfWidth, int color)
    {
        for (var y = top; y < bottom; y++)
        {
            var halfWidth = topHalfWidth + ((bottomHalfWidth - topHalfWidth) * (y - top) / (bottom - top));
            FillRect(pixels, CenterX - halfWidth, y, CenterX + halfWidth, y + 1, color);
        }
    }

    private static int BackgroundColor(ResultCard card)
    {
        // FNV-1a over the key and task index: string.GetHashCode is randomised per process, this is not.
        var hash = 2166136261u;
        foreach (var c in card.ResultKey)
        {
            hash = (hash ^ c) * 16777619u;
        }

        hash = (hash ^ (uint)card.TaskIndex) * 16777619u;

        // Final avalanche (from MurmurHash3) so keys that differ only at the end still get different hues.
        hash ^= hash >> 16;
        hash *= 0x85EBCA6Bu;
        hash ^= hash >> 13;
        hash *= 0xC2B2AE35u;
        hash ^= hash >> 16;

        // Each result of a task gets a slightly shifted, slightly darker tint of the task's colour.
        var hue = (int)((hash + ((uint)card.ResultIndex * 9u)) % 360u);
        var lightness = 0.80 - (0.035 * (card.ResultIndex % 4));

        // Pastel: saturation 0.45 and lightness at least 0.695 keep every channel between 142 and 227,
        // well clear of the garment, panel and text colours.
        return FromHsl(hue, 0.45, lightness);
    }

    private static int FromHsl(int hue, double saturation, double lightness)
    {
        var chroma = (1 - Math.Abs((2 * lightness) - 1)) * saturation;
        var sector = hue / 60.0;
        var x = chroma * (1 - Math.Abs((sector % 2) - 1));
        var (r, g, b) = (hue / 60) switch
        {
            0 => (chroma, x, 0.0),
            1 => (x, chroma, 0.0),
            2 => (0.0, chroma, x),
            3 => (0.0, x, chroma),
            4 => (x, 0.0, chroma),
            _ => (chroma, 0.0, x),
        };
        var m = lightness - (chroma / 2);
        return (ToByte(r + m) << 16) | (ToByte(g + m) << 8) | ToByte(b + m);
    }

    private static int Scale(int color, double factor) =>
        (ToByte(((color >> 16) & 0xFF) / 255.0 * factor) << 16)
        | (ToByte(((color >> 8) & 0xFF) / 255.0 * factor) << 8)
        | ToByte((color & 0xFF) / 255.0 * factor);

    private static int ToByte(double unit) => (int)Math.Round(Math.Clamp(unit, 0, 1) * 255, MidpointRounding.AwayFromZero);
}
