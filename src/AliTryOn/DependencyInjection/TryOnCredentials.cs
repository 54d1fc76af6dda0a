using System;
using AliTryOn.Http;

namespace AliTryOn.DependencyInjection;

/// <summary>
/// How a registered client authenticates its attempts, derived once from valid options and kept until they change:
/// the <c>APPCODE …</c> header value, or a signer of the AppKey/AppSecret mode.
/// </summary>
internal sealed class TryOnCredentials
{
    private readonly string? _appCode;
    private readonly string? _appKey;
    private readonly string? _appSecret;

    private TryOnCredentials(TryOnClientOptions options, TimeProvider timeProvider, NonceGenerator nonces)
    {
        _appCode = options.AppCode;
        _appKey = options.AppKey;
        _appSecret = options.AppSecret;
        Nonces = nonces;
        if (options.UsesSignature)
        {
            Signer = new RequestSigner(options.AppKey!, options.AppSecret!, timeProvider, nonces.Create);
        }
        else
        {
            Authorization = TryOnAuthenticationHandler.AuthorizationScheme + " " + options.AppCode;
        }
    }

    /// <summary>The <c>Authorization</c> value of the AppCode mode, or <see langword="null"/> in the signing mode.</summary>
    public string? Authorization { get; }

    /// <summary>The signer of the AppKey/AppSecret mode, or <see langword="null"/> in the AppCode mode.</summary>
    public RequestSigner? Signer { get; }

    /// <summary>The client's nonces, the same whatever its credentials.</summary>
    public NonceGenerator Nonces { get; }

    /// <summary>
    /// The credentials of <paramref name="options"/> (valid): <paramref name="previous"/> itself when they are the same,
    /// so a reload that changes something else costs nothing.
    /// </summary>
    public static TryOnCredentials Of(TryOnClientOptions options, TryOnCredentials? previous, TimeProvider timeProvider) =>
        previous is not null
            && string.Equals(previous._appCode, options.AppCode, StringComparison.Ordinal)
            && string.Equals(previous._appKey, options.AppKey, StringComparison.Ordinal)
            && string.Equals(previous._appSecret, options.AppSecret, StringComparison.Ordinal)
            ? previous
            : new TryOnCredentials(options, timeProvider, previous?.Nonces ?? new NonceGenerator());
}
