using System;
using System.Globalization;
using System.IO;
using System.Linq;
using MetadataExtractor;
using MetadataExtractor.Formats.Bmp;
using MetadataExtractor.Formats.Gif;
using MetadataExtractor.Formats.Jpeg;
using MetadataExtractor.Formats.Png;
using MetadataExtractor.Formats.WebP;
using MetadataExtractor.Util;

namespace AliTryOn;

/// <summary>
/// What an image's header says: its format and size in pixels, read without decoding the pixels. Use
/// <see cref="Identify(ReadOnlyMemory{byte})"/> to check a shopper's upload against the service's rules before accepting
/// it; the client runs the same check on every local image before it publishes anything.
/// </summary>
/// <param name="Format">The format, when it is one the service takes; <see langword="null"/> for other images (HEIC, TIFF…).</param>
/// <param name="FormatName">The format's name as detected (<c>JPEG</c>, <c>PNG</c>, <c>HEIF</c>…).</param>
/// <param name="Width">Width in pixels; 0 when the header seen does not say (the first bytes of a file only).</param>
/// <param name="Height">Height in pixels; 0 when the header seen does not say.</param>
public sealed record TryOnImageInfo(TryOnImageFormat? Format, string FormatName, int Width, int Height)
{
    private const string Accepted = "JPEG, PNG, WebP, BMP or GIF";

    /// <summary>Why the service would refuse this image, or <see langword="null"/> when its format and sides are accepted (or the sides are not known).</summary>
    public TryOnImageProblem? Problem =>
        Format is null ? TryOnImageProblem.UnsupportedFormat
        : Width == 0 || Height == 0 ? null
        : Width < TryOnImageOptions.MinSide || Height < TryOnImageOptions.MinSide || Width > TryOnImageOptions.MaxSide || Height > TryOnImageOptions.MaxSide ? TryOnImageProblem.Dimensions
        : null;

    /// <summary>Reads an image's format and size from its first bytes (the whole image, or at least its header).</summary>
    /// <param name="content">The encoded image, or its beginning.</param>
    /// <returns>The format and size, or <see langword="null"/> when the content is not an image the reader recognises.</returns>
    public static TryOnImageInfo? Identify(ReadOnlyMemory<byte> content)
    {
        var stream = AsStream(content);
        FileType type;
        try
        {
            type = FileTypeDetector.DetectFileType(stream);
        }
        catch (Exception exception) when (exception is IOException or ImageProcessingException or ArgumentException)
        {
            return null;
        }

        var format = type switch
        {
            FileType.Jpeg => TryOnImageFormat.Jpeg,
            FileType.Png => TryOnImageFormat.Png,
            FileType.WebP => TryOnImageFormat.WebP,
            FileType.Bmp => TryOnImageFormat.Bmp,
            FileType.Gif => TryOnImageFormat.Gif,
            _ => (TryOnImageFormat?)null,
        };
        if (type == FileType.Unknown)
        {
            return null;
        }

        var name = type.ToString().ToUpperInvariant();
        if (format is null)
        {
            return new TryOnImageInfo(null, name, 0, 0);
        }

        var (width, height) = ReadSize(content, format.Value);
        return new TryOnImageInfo(format, format == TryOnImageFormat.WebP ? "WebP" : name, width, height);
    }

    /// <summary>A sentence for a person on <see cref="Problem"/>, naming the image: <c>shirt.webp is 380 × 512 px; each side must be 400 to 4096 px</c>.</summary>
    /// <param name="imageName">The image's name, as messages show it.</param>
    /// <returns>The sentence, or <see langword="null"/> when there is no problem.</returns>
    public string? Describe(string imageName) => Problem switch
    {
        TryOnImageProblem.UnsupportedFormat => $"{imageName} is in {FormatName} format; the service takes {Accepted} (convert it to JPEG)",
        TryOnImageProblem.Dimensions => string.Format(
            CultureInfo.InvariantCulture,
            "{0} is {1} × {2} px; each side must be {3} to {4} px",
            imageName,
            Width,
            Height,
            TryOnImageOptions.MinSide,
            TryOnImageOptions.MaxSide),
        _ => null,
    };

    /// <summary>The sentence for content that is not an image.</summary>
    internal static string DescribeNotAnImage(string imageName) => $"{imageName} is not an image ({Accepted})";

    /// <summary>The media type of a format the service takes.</summary>
    internal static string ContentTypeOf(TryOnImageFormat format) => format switch
    {
        TryOnImageFormat.Jpeg => "image/jpeg",
        TryOnImageFormat.Png => "image/png",
        TryOnImageFormat.WebP => "image/webp",
        TryOnImageFormat.Bmp => "image/bmp",
        _ => "image/gif",
    };

    /// <summary>The usual file extension of a format the service takes.</summary>
    internal static string ExtensionOf(TryOnImageFormat format) => format switch
    {
        TryOnImageFormat.Jpeg => "jpg",
        TryOnImageFormat.Png => "png",
        TryOnImageFormat.WebP => "webp",
        TryOnImageFormat.Bmp => "bmp",
        _ => "gif",
    };

    private static (int Width, int Height) ReadSize(ReadOnlyMemory<byte> content, TryOnImageFormat format)
    {
        try
        {
            var stream = AsStream(content);
            var directories = format switch
            {
                TryOnImageFormat.Jpeg => JpegMetadataReader.ReadMetadata(stream, [new JpegReader()]).ToList(),
                TryOnImageFormat.Png => PngMetadataReader.ReadMetadata(PngHeaderOnly(content)).ToList(),
                TryOnImageFormat.WebP => WebPMetadataReader.ReadMetadata(stream).ToList(),
                TryOnImageFormat.Bmp => BmpMetadataReader.ReadMetadata(stream).ToList(),
                _ => GifMetadataReader.ReadMetadata(stream).ToList(),
            };
            foreach (var directory in directories)
            {
                var (widthTag, heightTag) = directory switch
                {
                    JpegDirectory => (JpegDirectory.TagImageWidth, JpegDirectory.TagImageHeight),
                    PngDirectory => (PngDirectory.TagImageWidth, PngDirectory.TagImageHeight),
                    WebPDirectory => (WebPDirectory.TagImageWidth, WebPDirectory.TagImageHeight),
                    BmpHeaderDirectory => (BmpHeaderDirectory.TagImageWidth, BmpHeaderDirectory.TagImageHeight),
                    GifHeaderDirectory => (GifHeaderDirectory.TagImageWidth, GifHeaderDirectory.TagImageHeight),
                    _ => (-1, -1),
                };
                if (widthTag >= 0 && directory.TryGetInt32(widthTag, out var width) && directory.TryGetInt32(heightTag, out var height))
                {
                    // A BMP stored top-down gives its height as a negative number.
                    return (Math.Abs(width), Math.Abs(height));
                }
            }
        }
        catch (Exception exception) when (exception is IOException or ImageProcessingException or ArgumentException or IndexOutOfRangeException)
        {
            // A header cut short (the first bytes of a URL's image) or damaged: the size is not known.
        }

        return (0, 0);
    }

    /// <summary>
    /// A PNG's signature and IHDR chunk (always first, 33 bytes), closed by an empty IEND chunk: the reader gives up on a
    /// PNG cut short (the first bytes of a URL's image), and the size is all that is wanted, so the rest is never read.
    /// </summary>
    private static MemoryStream PngHeaderOnly(ReadOnlyMemory<byte> content)
    {
        const int header = 8 + 4 + 4 + 13 + 4;
        if (content.Length < header)
        {
            return AsStream(content);
        }

        var bytes = new byte[header + 12];
        content.Span[..header].CopyTo(bytes);
        // IEND: length 0, type, CRC-32 of the type.
        new byte[] { 0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82 }.CopyTo(bytes, header);
        return new MemoryStream(bytes, writable: false);
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
}
