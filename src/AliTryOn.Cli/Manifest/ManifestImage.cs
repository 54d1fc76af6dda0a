namespace AliTryOn.Cli.Manifest;

/// <summary>One image of a manifest row: its <see cref="Column"/> (<c>model</c>, <c>upper</c>, <c>lower</c>, <c>full_body</c>), the image, and its text as written.</summary>
internal sealed record ManifestImage(string Column, TryOnImage Image, string Text)
{
    public const string Model = "model";
    public const string Upper = "upper";
    public const string Lower = "lower";
    public const string FullBody = "full_body";

    /// <summary>The text as messages may show it: a path as written, a URL without its query or user information (a presigned link is a credential).</summary>
    public string Shown => ImageText.Shown(Text);
}
