
namespace AliTryOn.Tests.Models;

public class TryOnTaskStatusTests
{
    [Theory]
    [InlineData("WAITING", false, true)]
    [InlineData("RUNNING", false, true)]
    [InlineData("SUCCESS", true, true)]
    [InlineData("FAILED", true, true)]
    [InlineData("success", true, true)]
    [InlineData("PAUSED", false, false)]
    [InlineData("", false, false)]
    public void Known_and_terminal_statuses_are_recognised(string value, bool terminal, bool known)
    {
        var status = new TryOnTaskStatus(value);

        Assert.Equal(terminal, status.IsTerminal);
        Assert.Equal(known, status.IsKnown);
    }

    [Fact]
    public void Unknown_status_keeps_its_spelling()
    {
        TryOnTaskStatus status = "Queued_For_Review";

        Assert.Equal("Queued_For_Review", status.Value);
        Assert.Equal("Queued_For_Review", status.ToString());
        Assert.NotEqual(TryOnTaskStatus.Waiting, status);
    }

    [Fact]
    public void Equality_ignores_case_and_hashes_alike()
    {
        var lower = new TryOnTaskStatus("running");

        Assert.True(lower == TryOnTaskStatus.Running);
        Assert.Equal(TryOnTaskStatus.Running.GetHashCode(), lower.GetHashCode());
        Assert.Equal("running", lower.Value);
    }

    [Fact]
    public void Default_value_is_empty_and_not_terminal()
    {
        TryOnTaskStatus status = default;

        Assert.Equal(string.Empty, status.Value);
        Assert.False(status.IsTerminal);
        Assert.Equal(new TryOnTaskStatus(string.Empty), status);
    }

    [Fact]
    public void Null_is_rejected() =>
        Assert.Throws<ArgumentNullException>(() => new TryOnTaskStatus(null!));
}
