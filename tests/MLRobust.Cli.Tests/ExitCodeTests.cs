using System.CommandLine;
using MLRobust.Cli.Hosting;
using static TorchSharp.torch;

namespace MLRobust.Cli.Tests;

public class ExitCodeTests
{
    private static RootCommand Throwing(Exception exception)
    {
        var command = new Command("fail");
        Func<ParseResult, int> fail = _ => throw exception;
        command.SetAction(fail);
        var root = new RootCommand();
        root.Subcommands.Add(command);
        return root;
    }

    private static void AssertNoStackTrace(string text) => Assert.DoesNotContain("   at ", text);

    [Fact]
    public void UnknownOptionIsAUserErrorOnOneLine()
    {
        var run = CliRun.Of("info", "--no-such-option");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Output);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: ", line);
        Assert.Contains("'--no-such-option'", line);
        Assert.Contains("mlrobust info --help", line);
    }

    [Fact]
    public void UnknownCommandIsAUserErrorOnOneLine()
    {
        var run = CliRun.Of("no-such-command");

        Assert.Equal(1, run.ExitCode);
        // System.CommandLine's own wording (localised), then ours.
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: ", line);
        Assert.Contains("'no-such-command'", line);
        Assert.EndsWith("See 'mlrobust --help'.", line);
    }

    [Fact]
    public void MissingCommandIsAUserError()
    {
        var run = CliRun.Of();

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: no command given. See 'mlrobust --help' for the commands.", Assert.Single(run.ErrorLines));
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    public void DemoAttackThresholdOutsideZeroToOneIsAUserError(string theta)
    {
        var run = CliRun.Of("demo", "--scale", "smoke", "--attack-thresholds", "0.45", theta, "--out", Path.Combine(Path.GetTempPath(), "mlrobust-unused-" + Guid.NewGuid().ToString("N")));

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Equal($"error: --attack-thresholds: each Θ must be in [0, 1], got {theta}.", line);
    }

    [Fact]
    public void HelpListsTheCommandsAndSucceeds()
    {
        var run = CliRun.Of("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("info", run.Output);
        Assert.Equal("", run.Error);
    }

    [Theory]
    [InlineData("user")]
    [InlineData("argument")]
    [InlineData("file")]
    [InlineData("format")]
    public void UserErrorsExitWithOneAndOneLine(string kind)
    {
        Exception thrown = kind switch
        {
            "user" => new UserErrorException("the model file is not an MLRobust model"),
            "argument" => new ArgumentOutOfRangeException("epochs", -1, "epochs must be positive"),
            "file" => new FileNotFoundException("could not find file 'scenes/missing.gltf'", "scenes/missing.gltf"),
            _ => new FormatException("'abc' is not a number"),
        };

        var run = CliRun.Of(Throwing(thrown), "fail");

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Equal("error: " + thrown.Message.Replace(Environment.NewLine, " "), line);
        AssertNoStackTrace(run.Error);
    }

    [Fact]
    public void InternalErrorExitsWithTwoAndAHint()
    {
        var run = CliRun.Of(Throwing(new InvalidOperationException("the cursor moved past the end")), "fail");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("internal error: InvalidOperationException: the cursor moved past the end", run.ErrorLines[0]);
        Assert.StartsWith("hint: ", run.ErrorLines[1]);
        Assert.Contains(CommandRunner.DebugVariable + "=1", run.ErrorLines[1]);
        AssertNoStackTrace(run.Error);
    }

    /// <summary>A libtorch failure inside a command (here an index out of range, which TorchSharp turns into an
    /// ExternalException) is an exit code, not a dead process.</summary>
    [Fact]
    public void NativeErrorInsideACommandExitsWithTwo()
    {
        var command = new Command("index");
        command.SetAction(_ =>
        {
            using var a = ones(2, 3);
            using var index = tensor(new long[] { 7 });
            using var c = a.index_select(0, index);
            return 0;
        });
        var root = new RootCommand();
        root.Subcommands.Add(command);

        var run = CliRun.Of(root, "index");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("internal error: ExternalException: ", run.ErrorLines[0]);
        Assert.Contains("out of range", run.Error);
    }

    [Fact]
    public void ExceptionFromAStaticConstructorIsUnwrapped()
    {
        var wrapped = new TypeInitializationException("Some.Type", new FileNotFoundException("could not find file 'weights.safetensors'"));

        var run = CliRun.Of(Throwing(wrapped), "fail");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: could not find file 'weights.safetensors'", Assert.Single(run.ErrorLines));
    }
}
