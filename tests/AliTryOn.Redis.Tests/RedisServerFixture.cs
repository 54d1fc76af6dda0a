namespace AliTryOn.Redis.Tests;

/// <summary>One real Redis server for the tests of a class, each of which uses keys of its own (a prefix per test).</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
