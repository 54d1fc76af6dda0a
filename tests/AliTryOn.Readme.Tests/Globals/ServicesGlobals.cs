#pragma warning disable IDE1006, SA1300 // Named as the README's snippets name them.
namespace AliTryOn.Readme.Tests.Globals;

/// <summary>What a snippet registering services sees: <c>services</c>, <c>configuration</c> and an <c>appCode</c>.</summary>
public sealed class ServicesGlobals(IServiceCollection services, IConfiguration configuration, string appCode)
{
    public IServiceCollection services { get; } = services;

    public IConfiguration configuration { get; } = configuration;

    public string appCode { get; } = appCode;
}
