using System;
using System.Collections.Generic;
using Microsoft.Extensions.Options;

namespace AliTryOn.Client;

/// <summary>
/// Validates <see cref="TryOnClientOptions"/>: the one set of rules for options bound by dependency injection
/// (checked at start-up, failures naming the configuration key) and options passed to a constructor.
/// </summary>
internal sealed class TryOnClientOptionsValidator : IValidateOptions<TryOnClientOptions>
{
    /// <summary>The most failed queries in a row a wait may be set to tolerate.</summary>
    internal const int MaxConsecutiveFailedQueriesLimit = 100;

    /// <summary>How a time limit is turned off, in code and in configuration.</summary>
    private const string OrInfinite = "or infinite (Timeout.InfiniteTimeSpan in code, \"infinite\" in configuration)";

    private const string InfiniteHint = "must be positive, " + OrInfinite;

    /// <summary>The slowest client-side rate, about one request a day: the time between permits must fit a timer.</summary>
    private const double MinRequestsPerSecond = 0.00001;

    /// <summary>The longest time limit or delay, in days: what <see cref="Http.TimeLimit"/> and a timer take.</summary>
    private static readonly string LongestDays = Http.TimeLimit.Longest.Days.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static readonly string LongestDelayHint = $"must be positive and at most {LongestDays} days";

    /// <summary>A client's time limit: what <see cref="Http.TimeLimit"/> takes.</summary>
    private static readonly string TimeLimitHint = $"must be positive and at most {LongestDays} days, " + OrInfinite;

    /// <summary>The longest a retry's computed delay may be: what Polly's retry strategy accepts.</summary>
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromDays(1);

    /// <summary>The command-line tool's setting of a shared rate limit's Redis, in the client's section.</summary>
    internal const string RedisKey = "RateLimit:Redis";

    private readonly string _name;
    private readonly OptionKeys _keys;
    private readonly Func<Microsoft.Extensions.Configuration.IConfiguration?>? _section;

    /// <param name="name">The options name this validator checks; other names are skipped.</param>
    /// <param name="keys">How failures name the settings.</param>
    /// <param name="section">The section the options are bound from, as it is now, or <see langword="null"/> for none.</param>
    public TryOnClientOptionsValidator(string name, OptionKeys keys, Func<Microsoft.Extensions.Configuration.IConfiguration?>? section = null)
    {
        _name = name;
        _keys = keys;
        _section = section;
    }

    public ValidateOptionsResult Validate(string? name, TryOnClientOptions options)
    {
        if (!string.Equals(name ?? Options.DefaultName, _name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = GetFailures(options, _keys);
        if (options.RateLimit is { Store: null } && !string.IsNullOrWhiteSpace(_section?.Invoke()?[RedisKey]))
        {
            // The command-line tool's setting, which an application reads only through AliTryOn.Redis: left unread, each
            // instance would send at the whole rate.
            failures.Add($"{_keys.Describe(RedisKey)} is set, but nothing keeps the rate limit in Redis: the command-line tool reads it; an application registers the limit with services.AddTryOnRedisRateLimit(configuration[\"{_keys.Key(RedisKey)}\"]) (package AliTryOn.Redis), or else each instance sends at the whole RateLimit{_keys.Separator}RequestsPerSecond.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws when options passed to a constructor are invalid.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">Some setting is invalid; the message names every one.</exception>
    public static void ThrowIfInvalid(TryOnClientOptions options, string paramName)
    {
        if (options is null)
        {
            throw new ArgumentNullException(paramName);
        }

        var failures = GetFailures(options, OptionKeys.Code);
        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid TryOnClientOptions: " + string.Join(" ", failures), paramName);
        }
    }

    /// <summary>Null when the AppCode is usable, else what is wrong with it. Never quotes the value.</summary>
    public static string? CheckAppCode(string? appCode) => CheckCredential(appCode, nameof(TryOnClientOptions.AppCode), OptionKeys.Code);

    /// <summary>
    /// Null when a credential (AppCode, AppKey, AppSecret) is usable: printable ASCII without spaces, as a header or
    /// signing key needs. Else what is wrong with it and how to put it right, never quoting the value.
    /// </summary>
    /// <param name="credential">The value.</param>
    /// <param name="setting">The setting's name (<c>AppCode</c>…), for the advice.</param>
    /// <param name="keys">How the setting is named, for the advice.</param>
    public static string? CheckCredential(string? credential, string setting, OptionKeys keys)
    {
        if (string.IsNullOrWhiteSpace(credential))
        {
            return "is required";
        }

        var value = credential!.Trim();
        if (value.StartsWith("APPCODE ", StringComparison.OrdinalIgnoreCase) && value.Substring("APPCODE ".Length).Trim().IndexOf(' ') < 0)
        {
            // The header's value pasted whole (from the product page's curl example, say): the scheme is the client's.
            return "starts with \"APPCODE \": give the code alone, as the client adds the \"APPCODE \" of the Authorization header itself; the value is not shown";
        }

        if (value.IndexOf(' ') > 0)
        {
            // Words with spaces between them: a placeholder ("set me in user secrets"), not a credential.
            return $"holds a placeholder, not a credential (it has spaces): {WhereItGoes(setting, keys)}; the value is not shown";
        }

        foreach (var c in credential)
        {
            if (c <= ' ' || c > '~')
            {
                return "contains whitespace, control or non-ASCII characters (often a copy-paste slip such as a trailing newline); the value is not shown";
            }
        }

        return null;
    }

    /// <summary>Where a credential comes from and where it belongs: never in appsettings.json when it is configuration.</summary>
    private static string WhereItGoes(string setting, OptionKeys keys) => keys.IsConfiguration
        ? $"copy your {setting} from the \"purchased services\" page of the Alibaba Cloud Market and set it in user secrets (dotnet user-secrets set \"{keys.Key(setting)}\" \"<your {setting}>\") or in the environment variable {keys.Key(setting).Replace(":", "__")}, not in appsettings.json"
        : $"copy your {setting} from the \"purchased services\" page of the Alibaba Cloud Market and set it from a secret store or an environment variable";

    public static List<string> GetFailures(TryOnClientOptions options, OptionKeys keys)
    {
        var failures = new List<string>();
        void Fail(string key, string problem) => failures.Add($"{keys.Describe(key)} {problem}.");

        CheckEndpoint(options, Fail);

        CheckCredentials(options, keys, Fail);

        if (!IsTimeLimit(options.AttemptTimeout))
        {
            Fail(nameof(TryOnClientOptions.AttemptTimeout), TimeLimitHint);
        }

        if (!IsTimeLimit(options.TotalTimeout))
        {
            Fail(nameof(TryOnClientOptions.TotalTimeout), TimeLimitHint);
        }
        else if (options.AttemptTimeout > options.TotalTimeout
            && options.TotalTimeout != System.Threading.Timeout.InfiniteTimeSpan
            && options.AttemptTimeout != TryOnClientOptions.DefaultAttemptTimeout
            && IsTimeLimit(options.AttemptTimeout))
        {
            // An attempt's limit set above the call's would never apply: the call's ends every attempt first. (Infinite
            // is -1 ms, below every limit: an attempt without a limit of its own is a choice. The default is left out:
            // a TotalTimeout of 10 s set alone means attempts of at most 10 s, which is what happens.)
            Fail(
                nameof(TryOnClientOptions.AttemptTimeout),
                $"must be at most {nameof(TryOnClientOptions.TotalTimeout)}, the limit of the whole call, which would end every attempt first (it is {Show(options.AttemptTimeout)}, and {nameof(TryOnClientOptions.TotalTimeout)} is {Show(options.TotalTimeout)}): raise {nameof(TryOnClientOptions.TotalTimeout)} too, or shorten this one");
        }

        CheckRetry(options.Retry, nameof(TryOnClientOptions.Retry) + keys.Separator, Fail);
        CheckRateLimit(options.RateLimit, nameof(TryOnClientOptions.RateLimit) + keys.Separator, Fail);

        var polling = options.Polling;
        if (polling is null)
        {
            Fail(nameof(TryOnClientOptions.Polling), "is required");
            return failures;
        }

        var prefix = nameof(TryOnClientOptions.Polling) + keys.Separator;
        if (polling.InitialDelay <= TimeSpan.Zero || polling.InitialDelay > Http.TimeLimit.Longest)
        {
            Fail(prefix + nameof(TryOnPollingOptions.InitialDelay), LongestDelayHint);
        }

        if (double.IsNaN(polling.ElapsedRatio) || polling.ElapsedRatio <= 0 || polling.ElapsedRatio > 1)
        {
            Fail(prefix + nameof(TryOnPollingOptions.ElapsedRatio), "must be above 0 and at most 1");
        }

        if (polling.MaxDelay < polling.InitialDelay || polling.MaxDelay > Http.TimeLimit.Longest)
        {
            Fail(prefix + nameof(TryOnPollingOptions.MaxDelay), $"must be at least InitialDelay and at most {LongestDays} days");
        }

        if (double.IsNaN(polling.JitterRatio) || polling.JitterRatio < 0 || polling.JitterRatio >= 1)
        {
            Fail(prefix + nameof(TryOnPollingOptions.JitterRatio), "must be from 0 to below 1");
        }

        if (!IsPositiveOrInfinite(polling.Timeout))
        {
            Fail(prefix + nameof(TryOnPollingOptions.Timeout), InfiniteHint);
        }

        if (polling.MaxConsecutiveFailedQueries is < 0 or > MaxConsecutiveFailedQueriesLimit)
        {
            Fail(prefix + nameof(TryOnPollingOptions.MaxConsecutiveFailedQueries), $"must be from 0 to {MaxConsecutiveFailedQueriesLimit}");
        }

        CheckImages(options.Images, polling.Timeout, keys.Separator, Fail);
        return failures;
    }

    /// <summary>
    /// Exactly one mode: an AppCode, or an AppKey with its AppSecret. The mode is chosen by which credentials are set,
    /// so a message names the keys of the mode the settings point at.
    /// </summary>
    private static void CheckCredentials(TryOnClientOptions options, OptionKeys keys, Action<string, string> fail)
    {
        const string appCode = nameof(TryOnClientOptions.AppCode);
        const string appKey = nameof(TryOnClientOptions.AppKey);
        const string appSecret = nameof(TryOnClientOptions.AppSecret);
        if (!options.UsesSignature)
        {
            if (string.IsNullOrWhiteSpace(options.AppCode))
            {
                fail(appCode, $"is required: {WhereItGoes(appCode, keys)} (or, for the gateway's signing mode, set {keys.Key(appKey)} and {keys.Key(appSecret)} instead)");
            }
            else if (CheckCredential(options.AppCode, appCode, keys) is { } appCodeProblem)
            {
                fail(appCode, appCodeProblem);
            }

            return;
        }

        if (!string.IsNullOrWhiteSpace(options.AppCode))
        {
            fail(appCode, $"must not be set together with {keys.Key(appKey)} and {keys.Key(appSecret)}: configure either the AppCode or the AppKey/AppSecret signing mode, not both");
        }

        CheckPart(options.AppKey, appKey, appSecret);
        CheckPart(options.AppSecret, appSecret, appKey);

        void CheckPart(string? value, string setting, string partner)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                fail(setting, $"is required when {keys.Key(partner)} is set");
            }
            else if (CheckCredential(value, setting, keys) is { } problem)
            {
                fail(setting, problem);
            }
        }
    }

    private static void CheckRetry(TryOnRetryOptions? retry, string prefix, Action<string, string> fail)
    {
        if (retry is null)
        {
            fail(prefix.TrimEnd(':', '.'), "is required");
            return;
        }

        if (retry.MaxRetries is < 0 or > 10)
        {
            fail(prefix + nameof(TryOnRetryOptions.MaxRetries), "must be from 0 to 10");
        }

        if (retry.BaseDelay <= TimeSpan.Zero || retry.BaseDelay > MaxRetryDelay)
        {
            fail(prefix + nameof(TryOnRetryOptions.BaseDelay), "must be positive and at most 1 day");
        }

        if (retry.MaxDelay < retry.BaseDelay || retry.MaxDelay > MaxRetryDelay)
        {
            fail(prefix + nameof(TryOnRetryOptions.MaxDelay), "must be at least BaseDelay and at most 1 day");
        }

        if (retry.MaxRetryAfter < TimeSpan.Zero)
        {
            fail(prefix + nameof(TryOnRetryOptions.MaxRetryAfter), "cannot be negative");
        }
    }

    private static void CheckRateLimit(TryOnRateLimitOptions? rateLimit, string prefix, Action<string, string> fail)
    {
        if (rateLimit is null)
        {
            fail(prefix.TrimEnd(':', '.'), "is required");
            return;
        }

        if (double.IsNaN(rateLimit.RequestsPerSecond) || double.IsInfinity(rateLimit.RequestsPerSecond) || rateLimit.RequestsPerSecond < 0)
        {
            fail(prefix + nameof(TryOnRateLimitOptions.RequestsPerSecond), "must be a finite number, 0 (no limit) or more");
        }
        else if (rateLimit.RequestsPerSecond > 0 && rateLimit.RequestsPerSecond < MinRequestsPerSecond)
        {
            // The time between two permits must fit a timer.
            fail(prefix + nameof(TryOnRateLimitOptions.RequestsPerSecond), "must be 0 (no limit), or at least 0.00001 (about one request a day)");
        }

        if (rateLimit.MaxConcurrentRequests < 0)
        {
            fail(prefix + nameof(TryOnRateLimitOptions.MaxConcurrentRequests), "must be 0 (no limit) or more");
        }

        if (rateLimit.QueueLimit < 0)
        {
            fail(prefix + nameof(TryOnRateLimitOptions.QueueLimit), "cannot be negative");
        }
    }

    private static void CheckEndpoint(TryOnClientOptions options, Action<string, string> fail)
    {
        const string key = nameof(TryOnClientOptions.Endpoint);
        var endpoint = options.Endpoint;
        if (endpoint is null)
        {
            fail(key, "is required: the service's base address from the product page, for example https://your-api-domain");
            return;
        }

        if (!endpoint.IsAbsoluteUri)
        {
            fail(key, "must be an absolute URI such as https://your-api-domain");
            return;
        }

        if (endpoint.UserInfo.Length > 0)
        {
            // The value is not quoted: it holds a password.
            fail(key, "must not contain user information (user:password@ before the host): the service authenticates with the AppCode or the AppKey/AppSecret, and a password in the address would travel to every log and trace that shows it");
            return;
        }

        var path = endpoint.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/" + TryOnClient.SubmitPath, StringComparison.OrdinalIgnoreCase) || path.EndsWith("/" + TryOnClient.QueryPath, StringComparison.OrdinalIgnoreCase))
        {
            // An operation's full address pasted from the document: the client adds the operations' paths itself.
            fail(key, $"must be the service's base address, without the operation's path: the client adds /{TryOnClient.SubmitPath} and /{TryOnClient.QueryPath} itself (give {endpoint.GetLeftPart(UriPartial.Authority)} here)");
            return;
        }

        if (endpoint.Query.Length > 0 || endpoint.Fragment.Length > 0)
        {
            // The value is not quoted: a query may hold a token. The client adds the API's paths, which would drop it.
            fail(key, "must not contain a query (?…) or a fragment (#…): the client adds the API's paths (/api/v2/tryon/…) to it, which would drop them; give the base address only, with a path prefix if the gateway has one");
            return;
        }

        if (endpoint.Scheme == Uri.UriSchemeHttps)
        {
            return;
        }

        if (endpoint.Scheme != Uri.UriSchemeHttp)
        {
            fail(key, $"must use https (it uses '{endpoint.Scheme}')");
        }
        else if (!endpoint.IsLoopback && !options.AllowInsecureHttp)
        {
            fail(key, "must use https: the credentials (the AppCode, or signed requests) would travel in clear text over http. Plain http is accepted for loopback addresses, or when AllowInsecureHttp is set");
        }
    }

    private static void CheckImages(TryOnImageOptions? images, TimeSpan waitTimeout, string separator, Action<string, string> fail)
    {
        var prefix = nameof(TryOnClientOptions.Images) + separator;
        if (images is null)
        {
            fail(nameof(TryOnClientOptions.Images), "is required");
            return;
        }

        if (images.UrlLifetime < TimeSpan.FromMinutes(1) || images.UrlLifetime > TimeSpan.FromDays(7))
        {
            fail(prefix + nameof(TryOnImageOptions.UrlLifetime), "must be from 1 minute to 7 days");
        }
        else if (waitTimeout != System.Threading.Timeout.InfiniteTimeSpan && waitTimeout > TimeSpan.Zero && images.UrlLifetime < waitTimeout)
        {
            fail(prefix + nameof(TryOnImageOptions.UrlLifetime), $"must be at least {nameof(TryOnClientOptions.Polling)}{separator}{nameof(TryOnPollingOptions.Timeout)}, so a published image outlives the wait for its job (it is {Show(images.UrlLifetime)}, and Polling{separator}Timeout is {Show(waitTimeout)}: shorten that one, or raise this one, up to 7 days)");
        }

        if (images.Cleanup is not (TryOnImageCleanup.DeleteAfterCompletion or TryOnImageCleanup.Keep))
        {
            fail(prefix + nameof(TryOnImageOptions.Cleanup), "must be DeleteAfterCompletion or Keep");
        }

        if (images.MaxBytes is < 1 or > MaxImageBytesLimit)
        {
            fail(prefix + nameof(TryOnImageOptions.MaxBytes), $"must be from 1 to {MaxImageBytesLimit} (100 MiB)");
        }

        if (!IsTimeLimit(images.PublishTimeout))
        {
            fail(prefix + nameof(TryOnImageOptions.PublishTimeout), TimeLimitHint);
        }
    }

    private const long MaxImageBytesLimit = 100 * 1024 * 1024;

    private static bool IsPositiveOrInfinite(TimeSpan value) =>
        value > TimeSpan.Zero || value == System.Threading.Timeout.InfiniteTimeSpan;

    /// <summary>A duration as configuration writes it, and in words when it is a day or more (a bare "300" in configuration is 300 days).</summary>
    private static string Show(TimeSpan value) =>
        value.ToString("c", System.Globalization.CultureInfo.InvariantCulture) + (value >= TimeSpan.FromDays(1) ? $" ({value.TotalDays.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} day{(value == TimeSpan.FromDays(1) ? string.Empty : "s")})" : string.Empty);

    private static bool IsTimeLimit(TimeSpan value) =>
        (value > TimeSpan.Zero && value <= Http.TimeLimit.Longest) || value == System.Threading.Timeout.InfiniteTimeSpan;
}
