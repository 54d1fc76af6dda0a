using AliTryOn.Cli.Arguments;
using AliTryOn.Cli.Commands;
using AliTryOn.Cli.Hosting;
using AliTryOn.Cli.Tests.TestSupport;

namespace AliTryOn.Cli.Tests.Arguments;

/// <summary>Command lines as people type them, and the mistakes they make, against the <c>run</c> command's options.</summary>
public sealed class ArgumentParserTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("looks.csv", "--output", "out", "--json")]
    [InlineData("--output=out", "looks.csv", "--json")]
    [InlineData("--json", "--output:out", "looks.csv")]
    [InlineData("--output", "out", "--json=true", "--", "looks.csv")]
    public void Options_take_their_value_after_a_space_an_equals_sign_or_a_colon_in_any_order(params string[] args)
    {
        var parsed = ArgumentParser.Parse(RunCommand.Spec, args);

        Assert.Equal(["looks.csv"], parsed.Positionals);
        Assert.Equal("out", parsed.Value("output"));
        Assert.True(parsed.Json);
        Assert.False(parsed.Has("emulator"));
    }

    [Fact]
    public void Options_are_read_from_a_response_file_named_with_an_at_sign()
    {
        var file = _folder.File("run.rsp");
        File.WriteAllText(file, "looks.csv\n--output out\n--concurrency 16\n");

        var parsed = ArgumentParser.Parse(RunCommand.Spec, ["@" + file, "--emulator"]);

        Assert.Equal(["looks.csv"], parsed.Positionals);
        Assert.Equal(("out", "16"), (parsed.Value("output"), parsed.Value("concurrency")));
        Assert.True(parsed.Emulator);
    }

    [Fact]
    public void An_argument_named_like_its_command_is_an_argument()
    {
        Assert.Equal(["run"], ArgumentParser.Parse(RunCommand.Spec, ["run"]).Positionals);
    }

    [Fact]
    public void A_mistyped_option_in_a_response_file_is_named()
    {
        var file = _folder.File("run.rsp");
        File.WriteAllText(file, "looks.csv --outptu out\n");

        var error = Assert.Throws<CliException>(() => ArgumentParser.Parse(RunCommand.Spec, ["@" + file]));

        Assert.Equal("'--outptu' is not an option of 'run'.", error.Message);
    }

    [Fact]
    public void Double_dash_ends_the_options_so_a_file_may_start_with_a_dash()
    {
        Assert.Equal(["-looks.csv"], ArgumentParser.Parse(RunCommand.Spec, ["--", "-looks.csv"]).Positionals);
    }

    [Fact]
    public void A_flag_given_false_is_not_given_and_a_flag_given_twice_is_given()
    {
        Assert.False(ArgumentParser.Parse(RunCommand.Spec, ["looks.csv", "--json=false"]).Json);
        Assert.True(ArgumentParser.Parse(RunCommand.Spec, ["looks.csv", "--json", "--json"]).Json);
    }

    [Theory]
    [InlineData("'--outptu' is not an option of 'run'.", "looks.csv", "--outptu", "out")]
    [InlineData("'--outptu' is not an option of 'run'.", "looks.csv", "--outptu=out")]
    [InlineData("'-o' is not an option of 'run'.", "looks.csv", "-o", "out")]
    [InlineData("--output needs a value: --output <dir>.", "looks.csv", "--output")]
    [InlineData("--output needs a value: --output <dir>.", "looks.csv", "--output", "--json")]
    [InlineData("--output needs a value: --output <dir>.", "looks.csv", "--output", "")]
    [InlineData("--output needs a value: --output <dir>.", "looks.csv", "--output", "-h")]
    [InlineData("--batch-size needs a value: --batch-size <1-10>.", "looks.csv", "--batch-size", "--emulator")]
    [InlineData("'run' takes <manifest>; got 2 arguments.", "--", "-looks.csv", "--emulator")]
    [InlineData("--json takes no value.", "looks.csv", "--json=yes")]
    [InlineData("--output is given more than once; give it once.", "looks.csv", "--output", "a", "--output", "b")]
    [InlineData("--output is given more than once; give it once.", "looks.csv", "--output", "a", "--output")]
    [InlineData("--json takes no value.", "--json=yes")]
    [InlineData("'run' takes <manifest>; got 0 arguments.", "--json")]
    [InlineData("'run' takes <manifest>; got 2 arguments.", "a.csv", "b.csv")]
    [InlineData("--concurrency must be a whole number from 1 to 1000; '0' is not.", "looks.csv", "--concurrency", "0")]
    public void A_mistyped_command_line_is_refused_naming_the_mistake(string message, params string[] args)
    {
        var error = Assert.Throws<CliException>(() => ArgumentParser.Parse(RunCommand.Spec, args));

        Assert.Equal(message, error.Message);
        Assert.True(error.ShowUsage);
    }

    [Fact]
    public void A_command_without_arguments_names_what_it_was_given()
    {
        var error = Assert.Throws<CliException>(() => ArgumentParser.Parse(SubmitCommand.Spec, ["m.jpg", "s.jpg"]));

        Assert.Equal("'submit' takes no arguments; got 'm.jpg s.jpg'.", error.Message);
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("-?")]
    [InlineData("--help")]
    public void Help_wins_over_any_mistake_on_the_same_line(string help)
    {
        Assert.True(ArgumentParser.Parse(RunCommand.Spec, ["--outptu", help]).Help);
    }
}
