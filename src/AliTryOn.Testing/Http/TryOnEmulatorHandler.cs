using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using AliTryOn.Testing.Wire;

namespace AliTryOn.Testing.Http;

/// <summary>The emulator as an in-memory transport: requests never leave the process.</summary>
internal sealed class TryOnEmulatorHandler(TryOnEmulator emulator) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        var headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = [.. header.Value];
        }

        byte[] body = [];
        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers)
            {
                headers[header.Key] = [.. header.Value];
            }

            body = await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }

        var answer = await emulator.HandleAsync(
            new EmulatorRequest
            {
                Method = request.Method.Method,
                Path = uri.AbsolutePath,
                RawPath = uri.AbsolutePath,
                QueryString = uri.Query,
                Headers = headers,
                Body = body,
                ResultsBase = emulator.ResultsBaseAddress ?? TryOnEmulator.DefaultResultsAddress,
            },
            cancellationToken).ConfigureAwait(false);

        // The errors SocketsHttpHandler raises for the same failures, so clients classify them as they would for real.
        switch (answer.Failure)
        {
            case ConnectionFailure.Refused:
                throw new HttpRequestException(
                    HttpRequestError.ConnectionError,
                    $"No connection could be made to the try-on emulator ({uri.Authority}).",
                    new SocketException((int)SocketError.ConnectionRefused));
            case ConnectionFailure.ResponseCutOff:
                throw new HttpRequestException(
                    HttpRequestError.ResponseEnded,
                    "The response ended prematurely.",
                    new IOException("The connection was reset by the try-on emulator."));
        }

        var response = new HttpResponseMessage((HttpStatusCode)answer.Status)
        {
            RequestMessage = request,
            Content = answer.Failure == ConnectionFailure.BodyCutOff
                ? new StreamContent(new CutOffStream(answer.Body, answer.Body.Length / 2))
                : new ByteArrayContent(answer.Body),
        };
        if (answer.ContentType is not null)
        {
            response.Content.Headers.TryAddWithoutValidation("Content-Type", answer.ContentType);
        }

        foreach (var (name, value) in answer.Headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }
}
