using System;
using System.Globalization;
using System.Text.RegularExpressions;
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
/// Each limit is one sorted set, <see cref="KeyPrefix"/> followed by the limit's name (<c>tryon-</c> and a SHA-256 hash of
/// <c>AppCode </c> and the AppCode, never the AppCode): the times at which permits were taken, in milliseconds on the
/// clients' clocks. A script takes a permit
/// atomically (one round trip): it drops the times older than a window, and adds the time when fewer than the permits
/// remain. The set expires a window after its last permit, so an idle limit leaves nothing behind.
/// </para>
/// <para>
/// The store needs a Redis server of version 5 or later (or a compatible one that runs Lua scripts); with Redis
/// Cluster, each limit lives on one node. If Redis cannot be reached, each instance keeps the window on its own for a
/// while (see <see cref="TryOnRateLimitStore"/>).
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

    private const int Up = -1;

    private static readonly Regex UrlScheme = new(@"^\s*[A-Za-z][A-Za-z0-9+.-]*://", RegexOptions.CultureInvariant);

    private readonly Lazy<Task<IConnectionMultiplexer>> _connection;
    private readonly bool _ownsConnection;
    private readonly object _gate = new();
    private bool _disposed;
    private int _down = Up; // a ConnectionFailureType while the connection is down

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

        KeyPrefix = keyPrefix ?? throw new ArgumentNullException(nameof(keyPrefix));
        _connection = new Lazy<Task<IConnectionMultiplexer>>(() => Task.FromResult(Followed(connection)));
    }

    /// <summary>A store that connects to Redis when first asked, with <paramref name="configuration"/>, and owns the connection.</summary>
    internal RedisRateLimitStore(ConfigurationOptions configuration, string keyPrefix)
    {
        // Connects when first asked, and keeps trying in the background if Redis is down then, rather than fail for good.
        configuration.AbortOnConnectFail = false;

        // On the thread pool: StackExchange.Redis makes the TLS handshake synchronously, with no time limit, inside
        // ConnectAsync; a server that never finishes it (TLS asked of a plain one) would hold the thread that asked.
        _connection = new Lazy<Task<IConnectionMultiplexer>>(
            () => Task.Run(async () => Followed(await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false))),
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
        if (keyPrefix is null)
        {
            throw new ArgumentNullException(nameof(keyPrefix));
        }

        return new RedisRateLimitStore(Read(configuration), keyPrefix);
    }

    /// <summary>The options <paramref name="configuration"/> gives, checked as <see cref="Connect"/> says.</summary>
    internal static ConfigurationOptions Read(string configuration)
    {
        if (configuration is null)
        {
            throw new ArgumentNullException(nameof(configuration));
        }

        if (string.IsNullOrWhiteSpace(configuration))
        {
            throw new ArgumentException("The Redis configuration string is empty: give where Redis is, for example \"localhost:6379\".", nameof(configuration));
        }

        // A URL starts with its scheme; "://" elsewhere (in a password) is part of a configuration string.
        var url = UrlScheme.IsMatch(configuration);
        if (!url && configuration.Split(',')[0] is var first && first.Contains("@") && !first.Contains("="))
        {
            // user:password@host would be taken for a host name, and shown, password and all, in every error of the connection.
            throw new ArgumentException(
                "The Redis configuration string names a server with '@' in it, as in user:password@host: give the password as password=… (and the user as user=…), or a redis:// URL.",
                nameof(configuration));
        }

        var options = url ? FromUrl(configuration.Trim()) : Parse(configuration);
        if (options.EndPoints.Count == 0)
        {
            throw new ArgumentException("The Redis configuration string names no server it can read: give where Redis is, as host or host:port, for example \"localhost:6379\".", nameof(configuration));
        }

        return options;
    }

    private static ConfigurationOptions Parse(string configuration)
    {
        try
        {
            return ConfigurationOptions.Parse(configuration);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or NotSupportedException)
        {
            // StackExchange.Redis quotes the option it could not read, which may be the password: none of it is shown.
            throw new ArgumentException(
                "The Redis configuration string is not one StackExchange.Redis reads (host:port, then options such as password=… and ssl=true, separated by commas; or a redis:// or rediss:// URL).",
                nameof(configuration));
        }
    }

    /// <summary>
    /// The options of a <c>redis://[user:password@]host[:port][/database]</c> URL (<c>rediss://</c> for TLS), the form
    /// many hosts give. StackExchange.Redis would take the whole URL for a host name, and show it, password and all, in
    /// its errors.
    /// </summary>
    private static ConfigurationOptions FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException("The Redis URL is not one a Uri reads: give redis://[user:password@]host[:port][/database], with any reserved character of the password %-encoded.", "configuration");
        }

        var tls = string.Equals(uri.Scheme, "rediss", StringComparison.OrdinalIgnoreCase);
        if (!tls && !string.Equals(uri.Scheme, "redis", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"The Redis configuration is a URL of the scheme '{uri.Scheme}': give a redis:// or rediss:// URL, or host:port,password=….", "configuration");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new ArgumentException("The Redis URL has a query or fragment, which it does not read: give the options in the form host:port,password=…,ssl=true instead.", "configuration");
        }

        var options = new ConfigurationOptions { Ssl = tls };
        options.EndPoints.Add(uri.DnsSafeHost, uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port);
        if (tls)
        {
            options.SslHost = uri.DnsSafeHost;
        }

        var userInfo = uri.UserInfo.Split([':'], 2);
        if (userInfo is [var user, var password])
        {
            options.User = user.Length == 0 ? null : Uri.UnescapeDataString(user);
            options.Password = Uri.UnescapeDataString(password);
        }
        else if (userInfo is [{ Length: > 0 } onlyPassword])
        {
            options.Password = Uri.UnescapeDataString(onlyPassword); // redis://password@host, as some hosts write it
        }

        var database = uri.AbsolutePath.Trim('/');
        if (database.Length > 0)
        {
            if (!int.TryParse(database, System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                throw new ArgumentException($"The Redis URL's path is not a database number: give redis://host:port/0, or no path.", "configuration");
            }

            options.DefaultDatabase = number;
        }

        return options;
    }

    /// <inheritdoc />
    /// <exception cref="RedisException">Redis could not be reached, or refused the script (an error of StackExchange.Redis).</exception>
    public override async ValueTask<TimeSpan> TryTakeAsync(string limitKey, int permits, TimeSpan window, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        if (limitKey is null)
        {
            throw new ArgumentNullException(nameof(limitKey));
        }

        if (clock is null)
        {
            throw new ArgumentNullException(nameof(clock));
        }

        cancellationToken.ThrowIfCancellationRequested();
        IConnectionMultiplexer? connection = null;
        try
        {
            connection = await WithCancellation(Connection(), cancellationToken).ConfigureAwait(false);
            var windowMilliseconds = Math.Max(1, (long)Math.Ceiling(window.TotalMilliseconds));

            // Read once connected: a permit stamped before a slow first connection would come back early.
            var nowMilliseconds = clock.GetUtcNow().ToUnixTimeMilliseconds();

            // StackExchange.Redis takes no token: a cancelled call stops waiting, and the permit, if taken, is spent.
            var take = connection.GetDatabase().ScriptEvaluateAsync(
                TakeScript,
                [KeyPrefix + limitKey],
                [nowMilliseconds, windowMilliseconds, permits, nowMilliseconds.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")]);
            var result = await WithCancellation(take, cancellationToken).ConfigureAwait(false);
            return TimeSpan.FromMilliseconds((long)result);
        }
        catch (OperationCanceledException given) when (connection is { IsConnected: false })
        {
            // StackExchange.Redis holds a command while it is not connected: say so, rather than "no answer in time".
            var failure = Down ?? ConnectionFailureType.UnableToConnect;
            throw new RedisConnectionException(
                failure,
                Down is { } known
                    ? $"Redis did not answer: it is not connected ({known})."
                    : "Redis did not answer: it is not connected (down, unreachable, or refusing the login).",
                given);
        }
    }

    /// <summary>Whether the connection has been made (connected or not: StackExchange.Redis keeps trying).</summary>
    internal bool HasConnection
    {
        get
        {
            lock (_gate)
            {
                return _connection.IsValueCreated && _connection.Value.Status == TaskStatus.RanToCompletion;
            }
        }
    }

    /// <summary>Why the connection is down, while it is; <see langword="null"/> while it is up (or not yet made).</summary>
    internal ConnectionFailureType? Down => Volatile.Read(ref _down) is var down and not Up ? (ConnectionFailureType)down : null;

    /// <summary>
    /// <paramref name="connection"/>, whose failures the store follows: an ask given up while the connection is down
    /// (StackExchange.Redis holds the command until it is back) says why, as a refused login would not otherwise show.
    /// </summary>
    private IConnectionMultiplexer Followed(IConnectionMultiplexer connection)
    {
        connection.ConnectionFailed += (_, failed) => Volatile.Write(ref _down, (int)failed.FailureType);
        connection.ConnectionRestored += (_, _) => Volatile.Write(ref _down, Up);
        return connection;
    }

    /// <summary>
    /// Closes the connection when the store made it (<see cref="Connect"/>), also one still being made (once it is); a
    /// connection given to it stays open. The store takes no permit after.
    /// </summary>
    public void Dispose()
    {
        if (Release() is { } connecting)
        {
            if (connecting.Status == TaskStatus.RanToCompletion)
            {
                connecting.Result.Dispose();
            }
            else
            {
                DisposeWhenMade(connecting);
            }
        }
    }

    /// <summary>As <see cref="Dispose"/>, closing a connection that is open gracefully.</summary>
    /// <returns>A task that completes when the connection is closed (or, for one still being made, at once).</returns>
    public async ValueTask DisposeAsync()
    {
        if (Release() is { } connecting)
        {
            if (connecting.Status == TaskStatus.RanToCompletion)
            {
                await connecting.Result.CloseAsync().ConfigureAwait(false);
                connecting.Result.Dispose();
            }
            else
            {
                DisposeWhenMade(connecting);
            }
        }
    }

    /// <summary>
    /// Starts making the connection, unless the store is disposed, so that the first call does not wait for it (an ask
    /// of the store has half a second).
    /// </summary>
    internal void StartConnecting()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _ = _connection.Value;
            }
        }
    }

    /// <summary>
    /// Starts making the connection and waits for it, at most <paramref name="limit"/>: a batch job about to start (the
    /// command-line tool's run) waits for it rather than keep the rate on its own for the first 10 seconds because the
    /// connection took longer than the half second an ask has.
    /// </summary>
    /// <returns>Whether the store is connected.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    internal async Task<bool> ConnectAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            StartConnecting();
            var connection = await WithCancellation(Connection(), timeout.Token).ConfigureAwait(false);
            // One round trip, so the first ask does not also pay for the first command's path (on a busy machine, past
            // the half second an ask has).
            await WithCancellation(connection.GetDatabase().PingAsync(), timeout.Token).ConfigureAwait(false);
            return connection.IsConnected;
        }
        catch (Exception exception) when (exception is OperationCanceledException or RedisException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            return false; // not in time, or not at all: the asks say why, and the limit keeps the rate on its own meanwhile
        }
    }

    /// <summary>
    /// Marks the store disposed (under the lock: a connection is made only while it is not), and returns the connection
    /// it made, made or being made, to close; <see langword="null"/> for none (or one that is the application's).
    /// </summary>
    private Task<IConnectionMultiplexer>? Release()
    {
        lock (_gate)
        {
            var owned = !_disposed && _ownsConnection && _connection.IsValueCreated ? _connection.Value : null;
            _disposed = true;
            return owned;
        }
    }

    private static void DisposeWhenMade(Task<IConnectionMultiplexer> connecting) =>
        _ = connecting.ContinueWith(static made => made.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    /// <summary>The connection, made when first needed.</summary>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    private Task<IConnectionMultiplexer> Connection()
    {
        lock (_gate)
        {
            return _disposed ? throw new ObjectDisposedException(nameof(RedisRateLimitStore)) : _connection.Value;
        }
    }

    private static async Task<T> WithCancellation<T>(Task<T> task, CancellationToken cancellationToken)
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
