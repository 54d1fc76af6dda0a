using System.Net;
using System.Net.Http.Headers;

namespace AliTryOn.Tests.Downloads;

/// <summary>Answers of an object-storage host, and bodies whose reading can be watched or broken.</summary>
internal static class StorageAnswers
{
    public const string Link = "https://results.storage.test/rk/0/0.png?Expires=1700000000&Signature=SECRET-signature-4e1f";

    public static byte[] Image(int length, byte seed = 1)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed + i);
        }

        return bytes;
    }

    /// <summary>An image answer with a declared length.</summary>
    public static HttpResponseMessage Ok(byte[] body, string? mediaType = "image/png")
    {
        var content = new ByteArrayContent(body);
        if (mediaType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        }

        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    /// <summary>An answer whose body is served from <paramref name="stream"/>, with or without a declared length.</summary>
    public static HttpResponseMessage Streamed(Stream stream, long? declaredLength, string mediaType = "image/png")
    {
        var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        content.Headers.ContentLength = declaredLength;
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    /// <summary>Object storage's XML error, as OSS and S3 send it.</summary>
    public static HttpResponseMessage StorageError(HttpStatusCode status, string code, string message) => new(status)
    {
        Content = new StringContent(
            $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><SignatureProvided>SECRET-signature-4e1f</SignatureProvided></Error>",
            System.Text.Encoding.UTF8,
            "application/xml"),
    };

    public static HttpResponseMessage Redirect(string location, HttpStatusCode status = HttpStatusCode.Found)
    {
        var response = new HttpResponseMessage(status);
        response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
        return response;
    }

    /// <summary>
    /// A body that is not seekable (so no length is computed), counts what was read, and can break after some bytes
    /// as a lost connection does.
    /// </summary>
    public sealed class WatchedStream(byte[] body, int? breakAfter = null, int chunk = 1000) : Stream
    {
        private int _position;

        public int BytesRead => _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (breakAfter is { } limit && _position >= limit)
            {
                throw new IOException("The connection was reset.");
            }

            var n = Math.Min(Math.Min(count, chunk), body.Length - _position);
            if (breakAfter is { } cut)
            {
                n = Math.Min(n, cut - _position);
            }

            Array.Copy(body, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Reports progress synchronously, in order (<see cref="Progress{T}"/> would post them).</summary>
    public sealed class ProgressLog<T> : IProgress<T>
    {
        private readonly List<T> _reports = [];

        public IReadOnlyList<T> Reports
        {
            get
            {
                lock (_reports)
                {
                    return [.. _reports];
                }
            }
        }

        public void Report(T value)
        {
            lock (_reports)
            {
                _reports.Add(value);
            }
        }
    }
}
