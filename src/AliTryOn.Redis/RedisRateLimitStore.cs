using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace AliTryOn.Redis;

/// <summary>
/// A <see cref="TryOnRateLimitStore"/> in Redis: the instances of an application that share an AppCode keep
/// <see cref="TryOnRateLimitOptions.RequestsPerSecond"/> together, as their total. Register it with
/// <c>AddTryOnRedisRateLimit</c>, or set it as <see cref="TryOnRateLimitOptions.Store"/>.
/// </summary>
/// <remarks>
/// <para>
/// Each limit is one sorted set, <see cref="KeyPrefix"/> followed by the limit's name (a hash of the AppCode, never the
/// AppCode): the times at which permits were taken, in milliseconds on the clients' clocks. A script takes a permit
/// atomically (one round trip): it drops the times older than a window, and adds the time when fewer than the permits
/// remain. The set expires a window after its last permit, so an idle limit leaves nothing behind.
/// </para>
/// <para>
/// The store needs a Redis server of version 5 or later (or a compatible one that runs Lua scripts); with Redis
/// Cluster, each limit lives on one node. If Redis cannot be reached, the client goes on under each instance's own
/// limit (see <see cref="TryOnRateLimitStore"/>).
/// </para>
/// </remarks>
public sealed class RedisRateLimitStore : TryOnRateLimitStore, IDisposable, IAsyncDisposable
{
    /// <summary>The default <see cref="KeyPrefix"/>: <c>alitryon:ratelimit:</c>.</summary>
    public const string DefaultKeyPrefix = "alitryon:ratelimit:";

    // KEYS[1] the limit; ARGV now (ms), window (ms), permits, a member unique to this permit. Returns 0 when the permit
    // is taken, else the milliseconds until the oldest permit comes back (at least 1).
    private const string TakeScript = """
        local now = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
          redis.call('ZADD', KEYS[1], now, ARGV[4])
          redis.call('PEXPIRE', KEYS[1], window)
          return 0
        end
        local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        return math.max(1, tonumber(oldest[2]) + window - now)
        """;

    private readonly Lazy<Task<IConnectionMultiplexer>> _connection;
    private readonly bool _ownsConnection;

    /// <summary>A store in the Redis that <paramref name="connection"/> reaches. The connection stays the caller's.</summary>
    /// <param name="connection">A connection to Redis, shared with the rest of the application as StackExchange.Redis advises.</param>
    /// <param name="keyPrefix">What the keys of the limits start with. Default: <see cref="DefaultKeyPrefix"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> or <paramref name="keyPrefix"/> is <see langword="null"/>.</exception>
    public RedisRateLimitStore(IConnectionMultiplexer connection, string keyPrefix = DefaultKeyPrefix)
    {
        if (connection is null)
        {
            throw new ArgumentNullException(nameof(connection));
        }

        _connection = new Lazy<Task<IConnectionMultiplexer>>(() => Task.FromResult(connection));
        KeyPrefix = keyPrefix ?? throw new ArgumentNullException(nameof(keyPrefix));
    }

    /// <summary>A store that connects to Redis when first asked, with <paramref name="configuration"/>, and owns the connection.</summary>
    private RedisRateLimitStore(ConfigurationOptions configuration, string keyPrefix)
    {
        // Connects when first asked, and keeps trying in the background if Redis is down then, rather than fail for good.
        configuration.AbortOnConnectFail = false;
        _connection = new Lazy<Task<IConnectionMultiplexer>>(
            async () => await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false),
            LazyThreadSafetyMode.ExecutionAndPublication);
        _ownsConnection = true;
        KeyPrefix = keyPrefix;
    }

    /// <summary>What the keys of the limits start with.</summary>
    public string KeyPrefix { get; }

    /// <summary>
    /// A store that connects to Redis with a StackExchange.Redis configuration string (for example
    /// <c>redis.internal:6379,password=…,ssl=true</c>) when it is first asked, and closes the connection when disposed.
    /// </summary>
    /// <param name="configuration">The configuration string: where Redis is, and how to log in.</param>
    /// <param name="keyPrefix">What the keys of the limits start with. Default: <see cref="DefaultKeyPrefix"/>.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configuration"/> or <paramref name="keyPrefix"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="configuration"/> is empty or not a configuration string StackExchange.Redis reads. The message
    /// quotes none of it (it may hold a password).
    /// </exception>
    public static RedisRateLimitStore Connect(string configuration, string keyPrefix = DefaultKeyPrefix)
    {
        if (configuration is null)
        {
            throw new ArgumentNullException(nameof(configuration));
        }

        if (keyPrefix is null)
        {
            throw new ArgumentNullException(nameof(keyPrefix));
        }

        if (string.IsNullOrWhiteSpace(configuration))
        {
            throw new ArgumentException("The Redis configuration string is empty: give where Redis is, for example \"localhost:6379\".", nameof(configuration));
        }

        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or NotSupportedException)
        {
            // StackExchange.Redis quotes the option it could not read, which may be the password: none of it is shown.
            throw new ArgumentException(
                "The Redis configuration string is not one StackExchange.Redis reads (host:port, then options such as password=… and ssl=true, separated by commas).",
                nameof(configuration));
        }

        if (options.EndPoints.Count == 0)
        {
            throw new ArgumentException("The Redis configuration string names no server: give where Redis is, for example \"localhost:6379\".", nameof(configuration));
        }

        return new RedisRateLimitStore(options, keyPrefix);
    }

    /// <inheritdoc />
    /// <exception cref="RedisException">Redis could not be reached, or refused the script (an error of StackExchange.Redis).</exception>
    public override async ValueTask<TimeSpan> TryTakeAsync(string limitKey, int permits, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (limitKey is null)
        {
            throw new ArgumentNullException(nameof(limitKey));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var connection = await _connection.Value.ConfigureAwait(false);
        var windowMilliseconds = Math.Max(1, (long)Math.Ceiling(window.TotalMilliseconds));
        var nowMilliseconds = now.ToUnixTimeMilliseconds();

        // StackExchange.Redis takes no token: a cancelled call stops waiting, and the permit, if taken, is spent.
        var take = connection.GetDatabase().ScriptEvaluateAsync(
            TakeScript,
            [KeyPrefix + limitKey],
            [nowMilliseconds, windowMilliseconds, permits, nowMilliseconds.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")]);
        var result = await WithCancellation(take, cancellationToken).ConfigureAwait(false);
        return TimeSpan.FromMilliseconds((long)result);
    }

    /// <summary>Closes the connection when the store made it (<see cref="Connect"/>); a connection given to it stays open.</summary>
    public void Dispose()
    {
        if (_ownsConnection && _connection.IsValueCreated && _connection.Value.Status == TaskStatus.RanToCompletion)
        {
            _connection.Value.Result.Dispose();
        }
    }

    /// <summary>Closes the connection when the store made it (<see cref="Connect"/>); a connection given to it stays open.</summary>
    /// <returns>A task that completes when the connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection && _connection.IsValueCreated && _connection.Value.Status == TaskStatus.RanToCompletion)
        {
            await _connection.Value.Result.CloseAsync().ConfigureAwait(false);
            _connection.Value.Result.Dispose();
        }
    }

    private static async Task<RedisResult> WithCancellation(Task<RedisResult> task, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            return await task.ConfigureAwait(false);
        }

        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetResult(true), cancelled))
        {
            if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
            {
                _ = task.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default); // observed: its failure no longer matters
                throw new OperationCanceledException(cancellationToken);
            }
        }

        return await task.ConfigureAwait(false);
    }
}
