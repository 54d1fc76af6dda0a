using System.Reflection;
using System.Runtime.Versioning;

namespace AliTryOn.Tests;

/// <summary>
/// These tests run twice: here against the net10.0 build of AliTryOn, and in AliTryOn.NetStandard.Tests against its
/// netstandard2.0 build. This one proves each run tests the build it claims to.
/// </summary>
public sealed class BuildUnderTestTests
{
    [Fact]
    public void The_library_under_test_is_the_build_this_project_names()
    {
        var framework = typeof(TryOnClient).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;

#if ALITRYON_NETSTANDARD
        Assert.Equal(".NETStandard,Version=v2.0", framework);
#else
        Assert.Equal(".NETCoreApp,Version=v10.0", framework);
#endif
    }
}
