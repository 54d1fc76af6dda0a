using AliTryOn.AspNetCore.Tests.TestSupport;

namespace AliTryOn.Tests.Shared;

/// <summary>
/// A real Redis server and the emulator served on loopback, for tests of callers that share a rate limit through Redis
/// over real sockets. Linked into the test projects that also link <see cref="RedisServer"/> and the loopback emulator.
/// </summary>
public sealed class RedisAndLoopbackEmulator : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public LoopbackEmulator Service { get; } = new();

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        await Service.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
