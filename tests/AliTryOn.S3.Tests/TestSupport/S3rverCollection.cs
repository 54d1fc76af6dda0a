namespace AliTryOn.S3.Tests.TestSupport;

/// <summary>The tests that share one s3rver process; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rverFixture>
{
    public const string Name = "s3rver";
}
