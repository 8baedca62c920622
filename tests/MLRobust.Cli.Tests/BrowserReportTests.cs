using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MLRobust.Cli.Tests.Browser;
using PuppeteerSharp;
using PuppeteerSharp.Media;
using Xunit.Abstractions;

namespace MLRobust.Cli.Tests;

/// <summary>One <c>mlrobust demo --scale smoke --seed 1</c> run (a real process) whose folder the browser tests open.</summary>
public sealed class DemoRunFixture : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mlr-browser-").FullName;

    public DemoRunFixture()
    {
        Folder = Path.Combine(_root, "demo");
        var clock = Stopwatch.StartNew();
        var psi = new ProcessStartInfo(RepositoryFiles.CliCommand()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "demo", "--scale", "smoke", "--seed", "1", "--out", Folder }) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mlrobust demo --scale smoke did not finish in 5 minutes.\n{error.Result}");
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"mlrobust demo --scale smoke exited with {process.ExitCode}:\n{error.Result}\n{output.Result}");
        DemoTime = clock.Elapsed;
    }

    /// <summary>The demo's --out folder: results.json, report.html and the pictures.</summary>
    public string Folder { get; }

    /// <summary>A scratch folder next to the demo's, deleted with it.</summary>
    public string Scratch => _root;

    public TimeSpan DemoTime { get; }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// The HTML report in a real browser (Debian's headless Chromium, through PuppeteerSharp): it opens with no console
/// error, no uncaught exception, no failed request and no request outside the file itself; every image decodes and every chart has a size; the
/// key numbers of results.json are on the page and every table-of-contents entry has its section; a 1000 px screen and a
/// phone (390 px) show it without sideways scrolling of the page; print hides the navigation. Full-page screenshots go to
/// artifacts/test-results/browser/ (next to the TRX files of ./build.sh --target=Test).
/// </summary>
public sealed partial class BrowserReportTests(DemoRunFixture demo, ITestOutputHelper log) : IClassFixture<DemoRunFixture>
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Where the screenshots go: the folder build.cake gives the test results.</summary>
    internal static string ScreenshotFolder => Path.Combine(RepositoryFiles.Root, "artifacts", "test-results", "browser");

    [Fact]
    public async Task DemoReport_OpensCleanlyInChromium()
    {
        log.WriteLine($"mlrobust demo --scale smoke --seed 1 (class fixture): {demo.DemoTime.TotalSeconds:0.0} s");
        await AssertOpensCleanly(Path.Combine(demo.Folder, "report.html"), "report");
    }

    [Fact]
    public async Task ReportCommand_Copy_OpensEquallyCleanly()
    {
        var copy = Path.Combine(demo.Scratch, "copy", "copy.html");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        var run = CliRun.Of("report", "--from", demo.Folder, "--out", copy);
        Assert.True(run.ExitCode == 0, $"mlrobust report exited with {run.ExitCode}: {run.Error}");
        Assert.Equal(copy, run.Output.Trim());
        await AssertOpensCleanly(copy, "report-copy");
    }

    private async Task AssertOpensCleanly(string html, string name)
    {
        var clock = Stopwatch.StartNew();
        var source = await File.ReadAllTextAsync(html);
        await using var browser = await HeadlessChromium.LaunchAsync();
        var (page, report) = await browser.NewWatchedPageAsync();
        log.WriteLine($"Chromium started: {clock.Elapsed.TotalSeconds:0.0} s");

        await page.SetViewportAsync(new ViewPortOptions { Width = 1000, Height = 800 });
        await page.GoToAsync(new Uri(html).AbsoluteUri);
        log.WriteLine($"{html} loaded: {clock.Elapsed.TotalSeconds:0.0} s");
        AssertNoProblems(report, "loading the page");

        await AssertImagesDecoded(page, source);
        await AssertChartsHaveASize(page, source);
        await AssertKeyNumbersShown(page, Path.Combine(demo.Folder, "results.json"));
        await AssertContentsLinkToSections(page);
        await AssertNoHorizontalOverflow(page, 1000, "desktop screen");
        var desktop = await Screenshot(page, name + "-desktop.png", expectedWidth: 1000);

        // PuppeteerSharp reloads the page for a phone viewport: the checks after this one see the page opened on a phone.
        await page.SetViewportAsync(new ViewPortOptions { Width = 390, Height = 844, DeviceScaleFactor = 2, IsMobile = true });
        await AssertNoHorizontalOverflow(page, 390, "phone");
        var phone = await Screenshot(page, name + "-phone.png", expectedWidth: 780);

        Assert.Equal("block", await page.EvaluateExpressionAsync<string>("getComputedStyle(document.querySelector('nav')).display"));
        await page.EmulateMediaTypeAsync(MediaType.Print);
        Assert.Equal("none", await page.EvaluateExpressionAsync<string>("getComputedStyle(document.querySelector('nav')).display"));
        await page.EmulateMediaTypeAsync(MediaType.None);

        AssertNoProblems(report, "the checks at desktop, phone and print size");
        log.WriteLine($"Screenshots: {desktop} and {phone}");
        log.WriteLine($"{name}: checked in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>No console error, no uncaught exception, no failed request and no request outside the file so far (checked
    /// after the load, so that a broken page fails with its errors before any later check fails for their sake, and again
    /// at the end).</summary>
    private static void AssertNoProblems(PageReport report, string during)
    {
        Assert.True(report.ConsoleErrors.Count == 0, $"console errors ({during}):\n  " + string.Join("\n  ", report.ConsoleErrors));
        Assert.True(report.PageErrors.Count == 0, $"uncaught exceptions ({during}):\n  " + string.Join("\n  ", report.PageErrors));
        Assert.True(report.FailedRequests.Count == 0, $"failed requests ({during}):\n  " + string.Join("\n  ", report.FailedRequests));
        Assert.True(report.ExternalRequests.Count == 0,
            $"requests outside the file, neither file: nor data: ({during}):\n  " + string.Join("\n  ", report.ExternalRequests));
    }

    /// <summary>Every &lt;img&gt; of the file is in the page, loaded and decoded (img.decode() resolves) with a non-zero size.</summary>
    private static async Task AssertImagesDecoded(IPage page, string source)
    {
        var images = await page.EvaluateExpressionAsync<ImageState[]>("""
            Promise.all(Array.from(document.images, (img, i) => img.decode().then(() => '', e => String(e)).then(error => ({
              index: i, alt: img.alt, complete: img.complete, naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight, decodeError: error,
            }))))
            """);
        var inFile = ImgTag().Count(source);
        Assert.True(inFile > 0, "the report holds no <img> (the demo writes PNG pictures)");
        Assert.Equal(inFile, images.Length);
        var broken = images.Where(i => !i.Complete || i.NaturalWidth == 0 || i.NaturalHeight == 0 || i.DecodeError.Length > 0).ToList();
        Assert.True(broken.Count == 0, "images that did not decode:\n  " + string.Join("\n  ", broken));
    }

    /// <summary>Every inline &lt;svg&gt; of the file is in the page and laid out with a non-zero width and height.</summary>
    private static async Task AssertChartsHaveASize(IPage page, string source)
    {
        var charts = await page.EvaluateExpressionAsync<SvgState[]>("""
            Array.from(document.querySelectorAll('svg'), (svg, i) => {
              const r = svg.getBoundingClientRect();
              const title = svg.getAttribute('aria-label') || (svg.querySelector('title') || svg.querySelector('text') || { textContent: '' }).textContent;
              return { index: i, title: title.slice(0, 80), width: r.width, height: r.height };
            })
            """);
        var inFile = SvgTag().Count(source);
        Assert.True(inFile > 0, "the report holds no inline <svg> (it has charts)");
        Assert.Equal(inFile, charts.Length);
        var empty = charts.Where(c => !(c.Width > 0 && c.Height > 0)).ToList();
        Assert.True(empty.Count == 0, "charts with an empty bounding box:\n  " + string.Join("\n  ", empty));
    }

    /// <summary>The clean error of every model (as the report formats it: "62.50%") and every Θ (0.##) of results.json
    /// are words of the page's text.</summary>
    private static async Task AssertKeyNumbersShown(IPage page, string resultsPath)
    {
        var text = await page.EvaluateExpressionAsync<string>("document.body.innerText");
        using var results = JsonDocument.Parse(await File.ReadAllTextAsync(resultsPath));
        var expected = new List<string>();
        var thresholds = new List<double>();
        foreach (var row in results.RootElement.GetProperty("CleanErrors").EnumerateArray())
        {
            var model = row.GetProperty("Model").GetString()!;
            var error = row.GetProperty("ErrorPercent");
            Assert.True(error.ValueKind == JsonValueKind.Number, $"results.json: the clean error of {model} is {error.GetRawText()}, not a number");
            expected.Add(model);
            expected.Add(error.GetDouble().ToString("0.00", C) + "%");
            if (row.GetProperty("Threshold") is { ValueKind: JsonValueKind.Number } threshold) thresholds.Add(threshold.GetDouble());
        }
        Assert.NotEmpty(thresholds);
        thresholds.Add(results.RootElement.GetProperty("Diagnostics").GetProperty("Threshold").GetDouble());
        expected.AddRange(thresholds.Select(t => t.ToString("0.##", C)));

        // Whole numbers: "0.2" must not be found only inside "0.25", nor "2.50%" inside "62.50%".
        var missing = expected.Distinct().Where(word => !Regex.IsMatch(text, $@"(?<![\d.]){Regex.Escape(word)}(?!\d)")).ToList();
        Assert.True(missing.Count == 0, $"key numbers of results.json missing from the page's text: {string.Join(", ", missing)}");
        Assert.Contains("Θ", text);
    }

    /// <summary>Every entry of the table of contents points at an element of the page: a section whose heading is the entry.</summary>
    private static async Task AssertContentsLinkToSections(IPage page)
    {
        var entries = await page.EvaluateExpressionAsync<ContentsEntry[]>("""
            Array.from(document.querySelectorAll('nav a'), a => {
              const href = a.getAttribute('href') || '';
              const target = href.startsWith('#') ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
              const heading = target && target.querySelector('h2');
              return { text: a.textContent.trim(), href, found: target !== null, tag: target ? target.tagName.toLowerCase() : '',
                       heading: heading ? heading.textContent.trim() : '' };
            })
            """);
        Assert.True(entries.Length >= 2, $"the table of contents has {entries.Length} entries");
        var bad = entries.Where(e => !e.Found || e.Tag != "section" || e.Heading != e.Text).ToList();
        Assert.True(bad.Count == 0, "table-of-contents entries without their section:\n  " + string.Join("\n  ", bad));
    }

    /// <summary>At the current viewport (<paramref name="screen"/> CSS pixels wide) the document is no wider than the
    /// screen; otherwise the message names the widest elements that stick out and are not inside a scrolling box.</summary>
    private static async Task AssertNoHorizontalOverflow(IPage page, int screen, string device)
    {
        var layout = await PageLayout.MeasureHorizontalOverflowAsync(page);
        Assert.Equal(screen, layout.ViewportWidth);
        Assert.False(layout.Overflows,
            $"on a {screen} px {device} the page is {layout.ScrollWidth} px wide (window.innerWidth {layout.InnerWidth} px); " +
            "the widest elements outside a scrolling box:\n  " + string.Join("\n  ", layout.Widest));
    }

    /// <summary>A full-page screenshot under <see cref="ScreenshotFolder"/>: a PNG of the expected pixel width and a plausible height and size.</summary>
    private async Task<string> Screenshot(IPage page, string file, int expectedWidth)
    {
        var path = Path.Combine(ScreenshotFolder, file);
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(path, new ScreenshotOptions { FullPage = true, Type = ScreenshotType.Png });
        var png = await File.ReadAllBytesAsync(path);
        Assert.True(png.Length > 10_000, $"{path}: {png.Length} bytes, too small for a page with charts and pictures");
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }), $"{path} is not a PNG");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        var width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16));
        var height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
        Assert.Equal(expectedWidth, width);
        Assert.InRange(height, expectedWidth, 200_000);
        log.WriteLine($"Screenshot {width}×{height} px, {png.Length / 1024} KiB: {path}");
        return path;
    }

    [GeneratedRegex(@"<img\b", RegexOptions.IgnoreCase)]
    private static partial Regex ImgTag();

    [GeneratedRegex(@"<svg\b", RegexOptions.IgnoreCase)]
    private static partial Regex SvgTag();

    // The page's objects (camelCase in JavaScript; PuppeteerSharp matches their names to these without regard to case).
    private sealed record ImageState(int Index, string Alt, bool Complete, int NaturalWidth, int NaturalHeight, string DecodeError);
    private sealed record SvgState(int Index, string Title, double Width, double Height);
    private sealed record ContentsEntry(string Text, string Href, bool Found, string Tag, string Heading);
}
