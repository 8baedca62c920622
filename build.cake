// MLRobust's build, run through ./build.sh (which installs the system prerequisites first):
//   ./build.sh                     Build (the default): the solution in Release
//   ./build.sh --target=Test       every test project; the last line is "Tests: N passed, N failed, N skipped"
//   ./build.sh --target=Demo       mlrobust demo (--demo-args="..." passes arguments)
//   ./build.sh --target=Bench      the benchmarks (--bench-args="..." passes arguments)
//   ./build.sh --target=Fuzz       100,000 mutated glTF files, images and model files (--fuzz-args="..."; not in CI)
//   --torch-natives=cuda           TorchSharp's CUDA natives (TorchSharp-cuda-linux) instead of the CPU ones;
//                                  needs a NuGet feed that serves them (nuget.org)
using System.Xml.Linq;

var target = Argument("target", "Build");
var configuration = Argument("configuration", "Release");
var benchArgs = Argument("bench-args", "");
var demoArgs = Argument("demo-args", "");
var fuzzArgs = Argument("fuzz-args", "--inputs 100000");
var torchNatives = Argument("torch-natives", "cpu");
if (torchNatives != "cpu" && torchNatives != "cuda")
    throw new CakeException($"--torch-natives={torchNatives}: use cpu (libtorch-cpu-linux-x64) or cuda (TorchSharp-cuda-linux).");

var root = MakeAbsolute(Directory("."));
var testResults = root.Combine("artifacts/test-results");
// Test projects run lowest layer first, so a broken layer shows up before its users' failures.
var testOrder = new[] { "MLRobust.Rendering.Tests", "MLRobust.Tests", "MLRobust.Cli.Tests", "MLRobust.Samples.Tests" };

string testSummary = null;

Task("Build")
    .Description("Builds MLRobust.sln.")
    .Does(() => Build("MLRobust.sln"));

// The demo needs only the CLI and the two libraries under it: on a fresh clone this skips restoring and compiling the
// tests, benchmarks, fuzzer and samples, which count against the demo's 15-minute budget.
Task("BuildCli")
    .Description("Builds the mlrobust CLI and the libraries it uses.")
    .Does(() => Build("src/MLRobust.Cli/MLRobust.Cli.csproj"));

Task("Test")
    .Description("Runs every test project and prints one summary line over all of them.")
    .IsDependentOn("Build")
    .Does(() =>
{
    EnsureDirectoryExists(testResults);
    int passed = 0, failed = 0, skipped = 0;
    var brokenRuns = new List<string>();

    foreach (var project in TestProjects())
    {
        var name = project.GetFilenameWithoutExtension().FullPath;
        var trx = testResults.CombineWithFilePath(name + ".trx");
        if (FileExists(trx)) DeleteFile(trx);

        var runFailed = false;
        try
        {
            DotNetTest(project.FullPath, new DotNetTestSettings
            {
                Configuration = configuration,
                NoBuild = true,
                NoRestore = true,
                NoLogo = true,
                ResultsDirectory = testResults,
                Loggers = new List<string> { $"trx;LogFileName={name}.trx" },
            });
        }
        catch (Exception e)
        {
            runFailed = true;
            Warning("{0}", $"{name}: {e.Message}");
        }

        if (!FileExists(trx))
        {
            brokenRuns.Add($"{name} wrote no results");
            continue;
        }
        var (p, f, s) = CountResults(trx);
        passed += p; failed += f; skipped += s;
        Information("{0}", $"{name}: {p} passed, {f} failed, {s} skipped");
        // A non-zero exit with no failed test means the run itself broke (test host crash, abort).
        if (runFailed && f == 0) brokenRuns.Add($"{name} failed without a failing test (crash or abort: see its output above)");
    }

    testSummary = $"Tests: {passed} passed, {failed} failed, {skipped} skipped";
    if (brokenRuns.Count > 0) throw new CakeException("Test runs broke: " + string.Join("; ", brokenRuns));
    if (failed > 0) throw new CakeException($"{failed} test(s) failed.");
});

Task("Bench")
    .Description("Runs benchmarks/MLRobust.Benchmarks in Release.")
    .Does(() =>
{
    var project = root.CombineWithFilePath("benchmarks/MLRobust.Benchmarks/MLRobust.Benchmarks.csproj");
    if (!FileExists(project))
        throw new CakeException("There is no benchmark project yet (benchmarks/MLRobust.Benchmarks).");
    Run("dotnet", $"run -c {configuration} --project {Quote(project.FullPath)} --property:MLRobustTorchNatives={torchNatives} -- {benchArgs}".TrimEnd());
});

Task("Fuzz")
    .Description("Runs fuzz/MLRobust.Fuzz: seeded mutations of glTF files, images and model files, each load watched (see its output).")
    .IsDependentOn("Build")
    .Does(() =>
{
    var fuzz = root.CombineWithFilePath($"fuzz/MLRobust.Fuzz/bin/{configuration}/net10.0/MLRobust.Fuzz.dll");
    var report = root.CombineWithFilePath("artifacts/fuzz/report.json");
    EnsureDirectoryExists(report.GetDirectory());
    Run("dotnet", $"{Quote(fuzz.FullPath)} {fuzzArgs} --json {Quote(report.FullPath)}");
});

Task("Demo")
    .Description("Runs 'mlrobust demo', the main job, with the CLI just built.")
    .IsDependentOn("BuildCli")
    .Does(() =>
{
    var cli = root.CombineWithFilePath($"src/MLRobust.Cli/bin/{configuration}/net10.0/MLRobust.Cli.dll");
    Run("dotnet", $"{Quote(cli.FullPath)} demo {demoArgs}".TrimEnd());
});

// Cake prints its task report when RunTarget finishes; the test summary comes after it, as the
// last line, so CI logs end with it whatever happened.
var succeeded = true;
try
{
    RunTarget(target);
}
catch (Exception e)
{
    Error("{0}", $"Error: {e.Message}");
    succeeded = false;
}
if (testSummary != null) Console.WriteLine(testSummary);
if (!succeeded) Environment.Exit(1);

// ---- helpers ----

void Build(string project) => DotNetBuild(root.CombineWithFilePath(project).FullPath, new DotNetBuildSettings
{
    Configuration = configuration,
    NoLogo = true,
    MSBuildSettings = new DotNetMSBuildSettings().WithProperty("MLRobustTorchNatives", torchNatives),
});

IEnumerable<FilePath> TestProjects()
{
    var rank = testOrder.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);
    return GetFiles(root.FullPath + "/tests/*/*.Tests.csproj")
        .OrderBy(p => rank.TryGetValue(p.GetFilenameWithoutExtension().FullPath, out var i) ? i : int.MaxValue)
        .ThenBy(p => p.FullPath, StringComparer.Ordinal);
}

// Counts the outcome of every test case in a TRX file. Its <Counters> element leaves skipped tests
// out, so count the results themselves: NotExecuted is a skip, anything but Passed a failure.
(int Passed, int Failed, int Skipped) CountResults(FilePath trx)
{
    var results = XDocument.Load(trx.FullPath).Descendants().Where(e => e.Name.LocalName == "UnitTestResult");
    int passed = 0, failed = 0, skipped = 0;
    foreach (var outcome in results.Select(r => (string)r.Attribute("outcome")))
    {
        if (outcome == "Passed") passed++;
        else if (outcome == "NotExecuted") skipped++;
        else failed++;
    }
    return (passed, failed, skipped);
}

string Quote(string value) => "\"" + value.Replace("\"", "\\\"") + "\"";

void Run(string tool, string arguments)
{
    var exit = StartProcess(tool, new ProcessSettings { Arguments = arguments, WorkingDirectory = root });
    if (exit != 0) throw new CakeException($"'{tool} {arguments}' exited with {exit}.");
}
