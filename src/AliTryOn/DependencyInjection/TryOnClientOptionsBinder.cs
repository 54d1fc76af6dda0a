using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AliTryOn.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AliTryOn.DependencyInjection;

/// <summary>
/// Binds <see cref="TryOnClientOptions"/> from configuration without reflection, so the library stays trimmable and
/// AOT-compatible (the 8.0 configuration-binding source generator does not compile under current compilers), and
/// so a value that cannot be parsed is reported with its full key.
/// </summary>
internal static class TryOnClientOptionsBinder
{
    /// <param name="section">The client's section.</param>
    /// <param name="options">The options to fill.</param>
    /// <param name="optionsName">The options' name, for the exception.</param>
    /// <param name="keys">How a message names a key.</param>
    /// <param name="otherSections">The full paths of the other clients' sections, which may be nested in this one.</param>
    /// <exception cref="OptionsValidationException">
    /// A value cannot be parsed, or a key is not a setting (misspelt, or in the wrong place); the message names each key.
    /// </exception>
    public static void Bind(IConfiguration section, TryOnClientOptions options, string optionsName, OptionKeys keys, IEnumerable<string> otherSections)
    {
        var failures = new List<string>();
        const string polling = nameof(TryOnClientOptions.Polling) + ":";
        var reader = new Reader(section, keys, failures);

        // A malformed address is shown without what could be a password in it.
        options.Endpoint = reader.Read(nameof(TryOnClientOptions.Endpoint), options.Endpoint, Reader.Uri, "a URI such as https://your-api-domain", Diagnostics.UrlDisplay.Show);

        // Credentials are read as is: validation reports a malformed one without ever quoting it.
        options.AppCode = reader.Raw(nameof(TryOnClientOptions.AppCode)) ?? options.AppCode;
        options.AppKey = reader.Raw(nameof(TryOnClientOptions.AppKey)) ?? options.AppKey;
        options.AppSecret = reader.Raw(nameof(TryOnClientOptions.AppSecret)) ?? options.AppSecret;

        options.AllowInsecureHttp = reader.Read(nameof(TryOnClientOptions.AllowInsecureHttp), options.AllowInsecureHttp, bool.TryParse, "true or false");
        options.AttemptTimeout = reader.Read(nameof(TryOnClientOptions.AttemptTimeout), options.AttemptTimeout, Reader.TimeLimit, TimeLimitExample);
        options.TotalTimeout = reader.Read(nameof(TryOnClientOptions.TotalTimeout), options.TotalTimeout, Reader.TimeLimit, TimeLimitExample);

        const string retryPrefix = nameof(TryOnClientOptions.Retry) + ":";
        var retry = options.Retry ??= new TryOnRetryOptions();
        retry.MaxRetries = reader.Read(retryPrefix + nameof(TryOnRetryOptions.MaxRetries), retry.MaxRetries, Reader.Int32, IntegerExample);
        retry.BaseDelay = reader.Read(retryPrefix + nameof(TryOnRetryOptions.BaseDelay), retry.BaseDelay, Reader.TimeSpan, TimeSpanExample);
        retry.MaxDelay = reader.Read(retryPrefix + nameof(TryOnRetryOptions.MaxDelay), retry.MaxDelay, Reader.TimeSpan, TimeSpanExample);
        retry.MaxRetryAfter = reader.Read(retryPrefix + nameof(TryOnRetryOptions.MaxRetryAfter), retry.MaxRetryAfter, Reader.TimeSpan, TimeSpanExample);

        const string rateLimitPrefix = nameof(TryOnClientOptions.RateLimit) + ":";
        var rateLimit = options.RateLimit ??= new TryOnRateLimitOptions();
        rateLimit.RequestsPerSecond = reader.Read(rateLimitPrefix + nameof(TryOnRateLimitOptions.RequestsPerSecond), rateLimit.RequestsPerSecond, Reader.Double, NumberExample);
        rateLimit.MaxConcurrentRequests = reader.Read(rateLimitPrefix + nameof(TryOnRateLimitOptions.MaxConcurrentRequests), rateLimit.MaxConcurrentRequests, Reader.Int32, IntegerExample);
        rateLimit.QueueLimit = reader.Read(rateLimitPrefix + nameof(TryOnRateLimitOptions.QueueLimit), rateLimit.QueueLimit, Reader.Int32, IntegerExample);

        var target = options.Polling ??= new TryOnPollingOptions();
        target.InitialDelay = reader.Read(polling + nameof(TryOnPollingOptions.InitialDelay), target.InitialDelay, Reader.TimeSpan, TimeSpanExample);
        target.ElapsedRatio = reader.Read(polling + nameof(TryOnPollingOptions.ElapsedRatio), target.ElapsedRatio, Reader.Double, NumberExample);
        target.MaxDelay = reader.Read(polling + nameof(TryOnPollingOptions.MaxDelay), target.MaxDelay, Reader.TimeSpan, TimeSpanExample);
        target.JitterRatio = reader.Read(polling + nameof(TryOnPollingOptions.JitterRatio), target.JitterRatio, Reader.Double, NumberExample);
        target.Timeout = reader.Read(polling + nameof(TryOnPollingOptions.Timeout), target.Timeout, Reader.TimeLimit, TimeLimitExample);
        target.MaxConsecutiveFailedQueries = reader.Read(polling + nameof(TryOnPollingOptions.MaxConsecutiveFailedQueries), target.MaxConsecutiveFailedQueries, Reader.Int32, IntegerExample);

        const string imagesPrefix = nameof(TryOnClientOptions.Images) + ":";
        var images = options.Images ??= new TryOnImageOptions();
        images.UrlLifetime = reader.Read(imagesPrefix + nameof(TryOnImageOptions.UrlLifetime), images.UrlLifetime, Reader.TimeSpan, TimeSpanExample);
        images.Cleanup = reader.Read(imagesPrefix + nameof(TryOnImageOptions.Cleanup), images.Cleanup, Reader.Cleanup, "DeleteAfterCompletion or Keep");
        images.MaxBytes = reader.Read(imagesPrefix + nameof(TryOnImageOptions.MaxBytes), images.MaxBytes, Reader.Int64, IntegerExample);
        images.CheckUrls = reader.Read(imagesPrefix + nameof(TryOnImageOptions.CheckUrls), images.CheckUrls, bool.TryParse, "true or false");
        images.PublishTimeout = reader.Read(imagesPrefix + nameof(TryOnImageOptions.PublishTimeout), images.PublishTimeout, Reader.TimeLimit, TimeLimitExample);

        // What the other packages read inside the section, and other clients' sections nested in it ("TryOn:Eu" in "TryOn").
        var path = (section as IConfigurationSection)?.Path;
        UnknownSettings.Check(
            section,
            [.. reader.Keys, .. OtherPackagesSettings],
            [.. OtherPackagesSections.Select(relative => path + ":" + relative), .. otherSections],
            Credentials,
            keys.Describe,
            "the try-on client",
            failures);

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(optionsName, typeof(TryOnClientOptions), failures);
        }
    }

    /// <summary>The sections inside the client's that the project's other packages read: the image hosts of AliTryOn.S3 and AliTryOn.AspNetCore.</summary>
    private static readonly string[] OtherPackagesSections = ["Images:S3", "Images:App"];

    /// <summary>The settings in the client's section that another part of the project reads: the command-line tool's shared rate limit's Redis.</summary>
    private static readonly string[] OtherPackagesSettings = [TryOnClientOptionsValidator.RedisKey];

    /// <summary>The settings whose values are credentials.</summary>
    private static readonly string[] Credentials = [nameof(TryOnClientOptions.AppCode), nameof(TryOnClientOptions.AppKey), nameof(TryOnClientOptions.AppSecret)];

    private const string TimeSpanExample = "a time span such as 00:00:30 (hh:mm:ss; a bare number would mean days, so it is not taken)";
    private const string TimeLimitExample = "a time span such as 00:05:00 (hh:mm:ss; a bare number would mean days, so it is not taken), or infinite";
    private const string NumberExample = "a number such as 1.5";
    private const string IntegerExample = "a whole number such as 3";

    /// <summary>Reads one setting by its relative key; a value that does not parse is reported, not guessed.</summary>
    private readonly struct Reader(IConfiguration section, OptionKeys keys, List<string> failures)
    {
        private readonly List<string> _keys = [];

        /// <summary>The keys read so far: the settings of the section.</summary>
        public IReadOnlyList<string> Keys => _keys;

        /// <summary>The value of <paramref name="key"/> as it is, or <see langword="null"/> when it is absent.</summary>
        public string? Raw(string key)
        {
            _keys.Add(key);
            return section[key];
        }

        /// <summary>The parsed value, or <paramref name="current"/> when the key is absent or its value does not parse.</summary>
        public T Read<T>(string key, T current, TryParser<T> parse, string expected, Func<string, string>? display = null)
        {
            var text = Raw(key);
            if (string.IsNullOrWhiteSpace(text))
            {
                return current;
            }

            text = text!.Trim();
            if (parse(text, out var value))
            {
                return value;
            }

            failures.Add($"{keys.Describe(key)} has the value '{(display is null ? text : display(text))}', which is not {expected}.");
            return current;
        }

        public static bool Uri(string text, out Uri? value) => System.Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out value);

        public static bool Int32(string text, out int value) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

        public static bool Int64(string text, out long value) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

        public static bool Cleanup(string text, out TryOnImageCleanup value)
        {
            // Names only: a number would bind to whatever enum value it happens to be.
            foreach (var candidate in new[] { TryOnImageCleanup.DeleteAfterCompletion, TryOnImageCleanup.Keep })
            {
                if (string.Equals(text, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    value = candidate;
                    return true;
                }
            }

            value = default;
            return false;
        }

        public static bool Double(string text, out double value) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

        /// <summary>
        /// A time span as .NET writes it (<c>00:00:30</c>, <c>1.00:00:00</c>); not a bare number, which .NET would read as
        /// days: "30" meant as seconds would be 30 days.
        /// </summary>
        public static bool TimeSpan(string text, out TimeSpan value)
        {
            var digits = text.TrimStart('-', '+');
            if (digits.Length > 0 && digits.All(static c => c is >= '0' and <= '9'))
            {
                value = default;
                return false;
            }

            return System.TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
        }

        /// <summary>A time limit: a time span, or <c>infinite</c> (any case) for none.</summary>
        public static bool TimeLimit(string text, out TimeSpan value)
        {
            if (string.Equals(text, "infinite", StringComparison.OrdinalIgnoreCase))
            {
                value = System.Threading.Timeout.InfiniteTimeSpan;
                return true;
            }

            return TimeSpan(text, out value);
        }
    }

    private delegate bool TryParser<T>(string text, out T value);
}
