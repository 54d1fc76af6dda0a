using System;
using AliTryOn;
using AliTryOn.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Makes the rate limit of the try-on clients one that the application's instances keep together, through Redis:
/// <c>RateLimit:RequestsPerSecond</c> becomes the total of every process and machine that shares the AppCode and the
/// Redis, not each one's.
/// </summary>
/// <remarks>
/// The store becomes the <see cref="TryOnRateLimitOptions.Store"/> of every client registered with <c>AddTryOnClient</c>
/// that has none set in code. Every instance must set the same <c>RequestsPerSecond</c>; <c>MaxConcurrentRequests</c>
/// and <c>QueueLimit</c> stay each instance's. A client with no <c>RequestsPerSecond</c> does not use the store.
/// </remarks>
public static class TryOnRedisServiceCollectionExtensions
{
    /// <summary>
    /// Keeps the clients' rate limit in the Redis that <paramref name="configuration"/> names, over a connection of the
    /// store's own, made when a call first needs it and closed with the container.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">
    /// A StackExchange.Redis configuration string, for example <c>redis.internal:6379,password=…,ssl=true</c> (often
    /// <c>Configuration.GetConnectionString("Redis")</c>).
    /// </param>
    /// <param name="keyPrefix">What the keys of the limits start with. Default: <see cref="RedisRateLimitStore.DefaultKeyPrefix"/>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/>, <paramref name="configuration"/> or <paramref name="keyPrefix"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is empty or not a configuration string; the message quotes none of it.</exception>
    public static IServiceCollection AddTryOnRedisRateLimit(this IServiceCollection services, string configuration, string keyPrefix = RedisRateLimitStore.DefaultKeyPrefix)
    {
        ThrowIfNull(services, nameof(services));

        ThrowIfNull(keyPrefix, nameof(keyPrefix));

        // Read now, so a configuration string that cannot work fails at start-up rather than at the first call; each
        // container then makes a store (and a connection) of its own, which it closes when disposed.
        var options = RedisRateLimitStore.Read(configuration);
        return AddCore(services, _ => new RedisRateLimitStore(options.Clone(), keyPrefix));
    }

    /// <summary>
    /// Keeps the clients' rate limit in Redis, over the application's own connection (the <see cref="IConnectionMultiplexer"/>
    /// <paramref name="connection"/> returns, which stays the application's).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="connection">Returns the connection to use; for example <c>provider => provider.GetRequiredService&lt;IConnectionMultiplexer&gt;()</c>.</param>
    /// <param name="keyPrefix">What the keys of the limits start with. Default: <see cref="RedisRateLimitStore.DefaultKeyPrefix"/>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/>, <paramref name="connection"/> or <paramref name="keyPrefix"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddTryOnRedisRateLimit(this IServiceCollection services, Func<IServiceProvider, IConnectionMultiplexer> connection, string keyPrefix = RedisRateLimitStore.DefaultKeyPrefix)
    {
        ThrowIfNull(services, nameof(services));
        ThrowIfNull(connection, nameof(connection));
        ThrowIfNull(keyPrefix, nameof(keyPrefix));
        return AddCore(services, provider => new RedisRateLimitStore(connection(provider), keyPrefix));
    }

    private static IServiceCollection AddCore(IServiceCollection services, Func<IServiceProvider, RedisRateLimitStore> store)
    {
        // A second registration replaces the first: one store serves every client.
        services.AddSingleton(store);
        services.AddSingleton<IPostConfigureOptions<TryOnClientOptions>>(provider => new PostConfigureOptions<TryOnClientOptions, RedisRateLimitStore>(
            name: null, // every client's options
            provider.GetRequiredService<RedisRateLimitStore>(),
            static (options, store) =>
            {
                options.RateLimit.Store ??= store;
                if (ReferenceEquals(options.RateLimit.Store, store) && options.RateLimit.RequestsPerSecond > 0)
                {
                    // A client that will use it: the connection is made ahead of its first call, which has half a second.
                    store.StartConnecting();
                }
            }));
        return services;
    }

    private static void ThrowIfNull(object? value, string name)
    {
        if (value is null)
        {
            throw new ArgumentNullException(name);
        }
    }
}
