using PuppeteerSharp;

namespace MLRobust.Cli.Tests.Browser;

/// <summary>
/// The harness itself: on a page that logs an error, throws, loads a missing file and asks a server for an image, the
/// <see cref="PageReport"/> holds each of them, so a clean report in <see cref="BrowserReportTests"/> means clean, not
/// unobserved; and a browser that is missing or cannot start fails at once.
/// </summary>
public sealed class HeadlessChromiumTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mlr-chromium-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task BrokenPage_EveryProblemIsReported()
    {
        var page = Path.Combine(_root, "broken.html");
        // Port 9 (discard) on the loopback: refused at once, so no network is needed and nothing leaves the machine.
        await File.WriteAllTextAsync(page, """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>broken</title></head><body>
            <img id="missing" src="missing.png"><img id="external" src="http://127.0.0.1:9/x.png">
            <script>console.error('logged ' + 'error'); throw new Error('thrown on purpose');</script>
            </body></html>
            """);
        await using var browser = await HeadlessChromium.LaunchAsync();
        var (tab, report) = await browser.NewWatchedPageAsync();
        await tab.GoToAsync(new Uri(page).AbsoluteUri);

        Assert.Equal(2, await tab.EvaluateExpressionAsync<int>("document.images.length"));
        Assert.False(await tab.EvaluateExpressionAsync<bool>("document.getElementById('missing').naturalWidth > 0"));
        Assert.Contains(report.ConsoleErrors, e => e.Contains("console.error: logged error", StringComparison.Ordinal));
        Assert.Contains(report.PageErrors, e => e.Contains("thrown on purpose", StringComparison.Ordinal));
        Assert.Contains(report.FailedRequests, r => r.Contains("missing.png", StringComparison.Ordinal));
        Assert.Contains(report.FailedRequests, r => r.Contains("127.0.0.1:9", StringComparison.Ordinal));
        Assert.Equal(["http://127.0.0.1:9/x.png"], report.ExternalRequests);
    }

    [Fact]
    public async Task CleanPage_NothingIsReported_AndTheScreenshotIsAPng()
    {
        var page = Path.Combine(_root, "clean.html");
        await File.WriteAllTextAsync(page, """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>clean</title></head>
            <body style="margin:0"><div style="width:300px;height:12000px;background:linear-gradient(#08f,#f80)"></div></body></html>
            """);
        await using var browser = await HeadlessChromium.LaunchAsync();
        var (tab, report) = await browser.NewWatchedPageAsync();
        await tab.SetViewportAsync(new ViewPortOptions { Width = 400, Height = 500, DeviceScaleFactor = 2 });
        await tab.GoToAsync(new Uri(page).AbsoluteUri);
        Assert.Equal("clean", await tab.EvaluateExpressionAsync<string>("document.title"));
        var png = await tab.ScreenshotDataAsync(new ScreenshotOptions { FullPage = true, Type = ScreenshotType.Png });
        // Full page at 2 device pixels per CSS pixel: the whole 12,000 px (24,000 pixels, beyond 16,384), not the 500 px viewport.
        Assert.Equal(800, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(24000, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Empty(report.ConsoleErrors);
        Assert.Empty(report.PageErrors);
        Assert.Empty(report.FailedRequests);
        Assert.Empty(report.ExternalRequests);
    }

    [Fact]
    public async Task PhoneViewport_OverflowIsMeasured_AndTheCulpritNamed()
    {
        var page = Path.Combine(_root, "wide.html");
        // One element sticks out of a phone's 390 px; a wider table inside a scrolling box does not count.
        await File.WriteAllTextAsync(page, """
            <!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>wide</title></head><body style="margin:0">
            <div style="overflow-x:auto"><table style="width:900px"><tr><td>scrolls</td></tr></table></div>
            <section id="s1"><div class="too wide" style="width:600px;height:10px"></div></section>
            </body></html>
            """);
        await using var browser = await HeadlessChromium.LaunchAsync();
        var (tab, _) = await browser.NewWatchedPageAsync();
        await tab.SetViewportAsync(new ViewPortOptions { Width = 1000, Height = 800 });
        await tab.GoToAsync(new Uri(page).AbsoluteUri);
        Assert.False((await PageLayout.MeasureHorizontalOverflowAsync(tab)).Overflows);

        // PuppeteerSharp reloads the page when a viewport switches to or from a phone.
        await tab.SetViewportAsync(new ViewPortOptions { Width = 390, Height = 844, DeviceScaleFactor = 2, IsMobile = true });
        var layout = await PageLayout.MeasureHorizontalOverflowAsync(tab);
        Assert.Equal(390, layout.ViewportWidth);
        Assert.Equal(600, layout.ScrollWidth);
        // Chromium zooms the phone out to the content, so innerWidth is no measure of the screen.
        Assert.Equal(600, layout.InnerWidth);
        Assert.True(layout.Overflows);
        Assert.Equal(["section#s1 > div.too.wide: right edge 600 px, width 600 px"], layout.Widest);
    }

    [Fact]
    public async Task NoBrowser_FailsWithHowToInstallIt()
    {
        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => HeadlessChromium.LaunchAsync(Path.Combine(_root, "chromium")));
        Assert.Contains("apt-get install --no-install-recommends chromium", missing.Message, StringComparison.Ordinal);
        Assert.Contains("./build.sh", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task BrowserThatExitsAtOnce_FailsWithAMessage_NotAHang()
    {
        var script = Path.Combine(_root, "fake-chromium");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho 'cannot start: no display' >&2\nexit 3\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<ProcessException>(() => HeadlessChromium.LaunchAsync(script));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Contains("Failed to launch browser", failure.Message, StringComparison.Ordinal);
        // PuppeteerSharp appends the browser's stderr only when it has read it before seeing the exit (a race: 1 run in ~5 lacked it
        // on the 2-core machine), so the test does not require it.
    }
}
