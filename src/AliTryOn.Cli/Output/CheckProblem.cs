namespace AliTryOn.Cli.Output;

/// <summary>
/// One problem a <c>check</c> found: the row (1-based) and its id, the image's column and text (a URL without its
/// query) for an image, and <see cref="Problem"/>: the client's name for it (<c>Unreadable</c>, <c>NotAnImage</c>,
/// <c>UnsupportedFormat</c>, <c>Dimensions</c>, <c>TooLarge</c>, <c>Unreachable</c>), or <c>InvalidRow</c> for a row
/// the manifest reader refuses (no id, column or image then).
/// </summary>
internal sealed record CheckProblem(int Row, string? Id, string? Column, string? Image, string Problem, string Message);
