namespace AliTryOn.Tests.Images;

public sealed class ImageInfoTests
{
    public static TheoryData<string, byte[], TryOnImageFormat, int, int> Accepted => new()
    {
        { "png", TestImages.Png(600, 800), TryOnImageFormat.Png, 600, 800 },
        { "jpeg", TestImages.Jpeg(1024, 768), TryOnImageFormat.Jpeg, 1024, 768 },
        { "webp", TestImages.WebP(500, 4000), TryOnImageFormat.WebP, 500, 4000 },
        { "gif", TestImages.Gif(420, 410), TryOnImageFormat.Gif, 420, 410 },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void The_format_and_sides_are_read_from_the_header(string name, byte[] content, TryOnImageFormat format, int width, int height)
    {
        var info = TryOnImageInfo.Identify(content);

        Assert.NotNull(info);
        Assert.Equal(format, info.Format);
        Assert.Equal((width, height), (info.Width, info.Height));
        Assert.Null(info.Problem);
        Assert.Null(info.Describe(name));
    }

    [Theory]
    [InlineData(399, 800)]
    [InlineData(800, 399)]
    [InlineData(4097, 800)]
    [InlineData(800, 4097)]
    public void A_side_outside_400_to_4096_px_is_a_problem_described_with_its_measure(int width, int height)
    {
        var info = TryOnImageInfo.Identify(TestImages.Png(width, height))!;

        Assert.Equal(TryOnImageProblem.Dimensions, info.Problem);
        Assert.Equal($"me.png is {width} × {height} px; each side must be 400 to 4096 px", info.Describe("me.png"));
    }

    [Theory]
    [InlineData(400, 400)]
    [InlineData(4096, 4096)]
    public void Sides_of_exactly_400_or_4096_px_pass(int width, int height) =>
        Assert.Null(TryOnImageInfo.Identify(TestImages.Png(width, height))!.Problem);

    [Fact]
    public void An_image_in_a_format_the_service_does_not_take_is_named_as_such()
    {
        var info = TryOnImageInfo.Identify(TestImages.Heic());

        Assert.NotNull(info);
        Assert.Null(info.Format);
        Assert.Equal(TryOnImageProblem.UnsupportedFormat, info.Problem);
        Assert.StartsWith("photo.heic is in HEIF format; the service takes JPEG, PNG, WebP, BMP or GIF", info.Describe("photo.heic"), StringComparison.Ordinal);
    }

    [Fact]
    public void Content_that_is_no_image_is_not_identified()
    {
        Assert.Null(TryOnImageInfo.Identify(TestImages.Text()));
        Assert.Null(TryOnImageInfo.Identify(ReadOnlyMemory<byte>.Empty));
    }

    [Fact]
    public void The_first_bytes_of_an_image_are_enough_and_a_header_cut_short_leaves_the_sides_unknown()
    {
        var png = TestImages.Png(600, 800);

        Assert.Equal((600, 800), (TryOnImageInfo.Identify(png.AsMemory(0, 64))!.Width, TryOnImageInfo.Identify(png.AsMemory(0, 64))!.Height));
        var cut = TryOnImageInfo.Identify(TestImages.Jpeg(1024, 768).AsMemory(0, 24))!;
        Assert.Equal(TryOnImageFormat.Jpeg, cut.Format);
        Assert.Equal((0, 0), (cut.Width, cut.Height));
        Assert.Null(cut.Problem); // unknown is not a violation
    }
}
