using AliTryOn.Testing.Images;

namespace AliTryOn.Testing.Tests.Images;

public class ResultImageRendererTests
{
    private static readonly ResultCard Card = new(
        "93be295cc7354d59bb6c3d12120f66c0", 2, 1, "https://example.com/models/anna.jpg",
        "https://example.com/garments/shirt.png", "https://example.com/garments/jeans.png", null, true);

    private static DecodedImage RenderPixels(ResultCard card) => PngTestReader.Decode(ResultImageRenderer.Render(card));

    [Fact]
    public void Renders_a_480x640_image()
    {
        var image = RenderPixels(Card);

        Assert.Equal((480, 640), (image.Width, image.Height));
        Assert.Equal((480, 640), (ResultImageRenderer.Width, ResultImageRenderer.Height));
    }

    [Fact]
    public void The_same_card_gives_identical_bytes()
    {
        var first = ResultImageRenderer.Render(Card);
        var second = ResultImageRenderer.Render(Card with { });

        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData("task")]
    [InlineData("result")]
    [InlineData("mode")]
    [InlineData("no upper")]
    [InlineData("no lower")]
    [InlineData("full body")]
    [InlineData("model")]
    [InlineData("key")]
    public void Cards_that_differ_give_different_pixels(string difference)
    {
        var other = difference switch
        {
            "task" => Card with { TaskIndex = 3 },
            "result" => Card with { ResultIndex = 2 },
            "mode" => Card with { Quality = false },
            "no upper" => Card with { Upper = null },
            "no lower" => Card with { Lower = null },
            "full body" => Card with { Upper = null, Lower = null, FullBody = "https://example.com/garments/shirt.png" },
            "model" => Card with { ModelImage = "https://example.com/models/bob.jpg" },
            "key" => Card with { ResultKey = "0f1e2d3c4b5a69788796a5b4c3d2e1f0" },
            _ => throw new ArgumentOutOfRangeException(nameof(difference)),
        };

        Assert.NotEmpty(RenderPixels(Card).Differences(RenderPixels(other)));
    }

    [Fact]
    public void Each_task_gets_its_own_background_and_each_result_its_own_tint()
    {
        // The top-left corner is always background.
        var byTask = Enumerable.Range(0, 4).Select(t => RenderPixels(Card with { TaskIndex = t, ResultIndex = 0 }).PixelAt(1, 1));
        var byResult = Enumerable.Range(0, 4).Select(r => RenderPixels(Card with { ResultIndex = r }).PixelAt(1, 1));

        Assert.Equal(4, byTask.Distinct().Count());
        Assert.Equal(4, byResult.Distinct().Count());
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(true, true, false)]
    [InlineData(false, false, true)]
    [InlineData(true, true, true)]
    public void Garment_colours_appear_exactly_when_the_garment_is_present(bool upper, bool lower, bool fullBody)
    {
        var card = Card with
        {
            Upper = upper ? "https://example.com/u.png" : null,
            Lower = lower ? "https://example.com/l.png" : null,
            FullBody = fullBody ? "https://example.com/f.png" : null,
        };

        var image = RenderPixels(card);

        AssertColour(image, ResultImageRenderer.UpperColor, upper);
        AssertColour(image, ResultImageRenderer.LowerColor, lower);
        AssertColour(image, ResultImageRenderer.FullBodyColor, fullBody);

        static void AssertColour(DecodedImage image, int color, bool present)
        {
            var count = image.Count(color);
            if (present)
            {
                Assert.True(count > 1000, $"Only {count} pixels of {color:X6}.");
            }
            else
            {
                Assert.Equal(0, count);
            }
        }
    }

    [Fact]
    public void A_different_model_url_changes_only_text_pixels()
    {
        var image = RenderPixels(Card);
        var other = RenderPixels(Card with { ModelImage = "https://example.com/models/bob.jpg" });

        var differences = image.Differences(other);

        Assert.NotEmpty(differences);
        int[] textOrPanel = [ResultImageRenderer.TextColor, ResultImageRenderer.PanelColor];
        Assert.All(differences, p =>
        {
            Assert.Contains(image.PixelAt(p.X, p.Y), textOrPanel);
            Assert.Contains(other.PixelAt(p.X, p.Y), textOrPanel);
        });
    }

    [Fact]
    public void A_different_job_id_changes_the_text_not_just_the_background()
    {
        var image = RenderPixels(Card);
        var other = RenderPixels(Card with { ResultKey = "0f1e2d3c4b5a69788796a5b4c3d2e1f0" });

        var textChanges = image.Differences(other).Count(p =>
            (image.PixelAt(p.X, p.Y), other.PixelAt(p.X, p.Y)) is
                (ResultImageRenderer.TextColor, ResultImageRenderer.PanelColor) or
                (ResultImageRenderer.PanelColor, ResultImageRenderer.TextColor));

        Assert.True(textChanges > 0);
    }

    [Fact]
    public void Only_the_last_path_segment_of_a_url_is_shown()
    {
        var image = ResultImageRenderer.Render(Card with { Upper = "https://a.example.com/x/y/shirt.png?sig=1#top" });
        var other = ResultImageRenderer.Render(Card with { Upper = "https://b.example.org/shirt.png?sig=2" });

        Assert.Equal(image, other);
    }

    [Fact]
    public void Long_text_is_cut_to_fit_inside_the_panel()
    {
        var longName = new string('W', 200);
        var image = RenderPixels(Card with { Upper = "https://example.com/" + longName + "1.png" });
        var other = RenderPixels(Card with { Upper = "https://example.com/" + longName + "2.png" });

        // What differs lies beyond the cut, so nothing of it is drawn.
        Assert.Equal(image.Rgb, other.Rgb);

        // The panels end 16 pixels from the edge; no text may spill into that margin.
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = image.Width - 16; x < image.Width; x++)
            {
                Assert.NotEqual(ResultImageRenderer.TextColor, image.PixelAt(x, y));
            }
        }
    }

    [Fact]
    public void Text_appears_in_both_panels()
    {
        var image = RenderPixels(Card);

        Assert.True(image.Count(ResultImageRenderer.TextColor) > 1000);
        Assert.Contains(Enumerable.Range(0, 130), y => Enumerable.Range(0, 480).Any(x => image.PixelAt(x, y) == ResultImageRenderer.TextColor));
        Assert.Contains(Enumerable.Range(520, 120), y => Enumerable.Range(0, 480).Any(x => image.PixelAt(x, y) == ResultImageRenderer.TextColor));
    }

    [Fact]
    public void Unusual_input_still_renders()
    {
        var card = new ResultCard("", 0, 0, "", "/", "???", "https://例子.测试/服装/上衣.png", false);

        Assert.Equal((480, 640), (RenderPixels(card).Width, RenderPixels(card).Height));
    }

    [Fact]
    public void Negative_indices_and_null_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ResultImageRenderer.Render(Card with { TaskIndex = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ResultImageRenderer.Render(Card with { ResultIndex = -1 }));
        Assert.Throws<ArgumentNullException>(() => ResultImageRenderer.Render(null!));
    }
}
