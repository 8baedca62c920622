using PuppeteerSharp;

namespace MLRobust.Cli.Tests.Browser;

/// <summary>
/// Debian's headless Chromium through PuppeteerSharp: always the installed <see cref="Executable"/> (PuppeteerSharp's
/// BrowserFetcher is never used, nothing is downloaded), and every wait has a limit, so a browser that does not start,
/// hangs or crashes fails the test with a message instead of hanging the run.
/// </summary>
internal static class HeadlessChromium
{
    /// <summary>Debian's <c>chromium</c> package (installed by ./build.sh).</summary>
    internal const string Executable = "/usr/bin/chromium";

    /// <summary>The limit, in milliseconds, for starting the browser, for each DevTools command and for each page
    /// wait (navigation, evaluation, screenshot).</summary>
    internal const int TimeoutMs = 60_000;

    /// <summary>Starts Chromium headless with a fresh profile (PuppeteerSharp deletes it when the browser is disposed).</summary>
    /// <param name="executable">The browser; Debian's <see cref="Executable"/> unless a test of the harness says otherwise.</param>
    internal static Task<IBrowser> LaunchAsync(string executable = Executable)
    {
        if (!File.Exists(executable))
            throw new InvalidOperationException(
                $"{executable} is missing: the browser tests need Debian's chromium package. Install it with ./build.sh " +
                "(which installs missing prerequisites) or 'sudo apt-get install --no-install-recommends chromium'.");
        return Puppeteer.LaunchAsync(new LaunchOptions
        {
            Headless = true,
            ExecutablePath = executable,
            // Root in a container has no usable sandbox; no GPU there either. PuppeteerSharp adds its own quiet defaults
            // (no first run, no background networking, no component update, about:blank...).
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            Timeout = TimeoutMs,
            ProtocolTimeout = TimeoutMs,
        });
    }

    /// <summary>A new page of <paramref name="browser"/> with the page timeouts set, and the report that watches it.</summary>
    internal static async Task<(IPage Page, PageReport Report)> NewWatchedPageAsync(this IBrowser browser)
    {
        var page = await browser.NewPageAsync();
        page.DefaultTimeout = TimeoutMs;
        page.DefaultNavigationTimeout = TimeoutMs;
        return (page, new PageReport(page));
    }
}
