using PuppeteerSharp;

namespace MLRobust.Cli.Tests.Browser;

/// <summary>
/// What went wrong on a page, from its events from the moment the report is made: console errors (console.error and
/// console.assert, and the browser's own log entries of level error), uncaught exceptions, failed requests, and requests
/// to anything but <c>file:</c> and <c>data:</c> URLs, which a self-contained page must not make.
/// </summary>
internal sealed class PageReport
{
    private readonly object _lock = new();
    private readonly List<string> _consoleErrors = [];
    private readonly List<string> _pageErrors = [];
    private readonly List<string> _failedRequests = [];
    private readonly List<string> _externalRequests = [];

    internal PageReport(IPage page)
    {
        page.Console += (_, e) =>
        {
            if (e.Message.Type is not (ConsoleType.Error or ConsoleType.Assert)) return;
            var where = e.Message.Location?.URL is { Length: > 0 } url ? $" [{Shorten(url)}]" : "";
            Add(_consoleErrors, $"console.{e.Message.Type.ToString().ToLowerInvariant()}: {e.Message.Text}{where}");
        };
        page.PageError += (_, e) => Add(_pageErrors, e.Message);
        page.RequestFailed += (_, e) => Add(_failedRequests, $"{Shorten(e.Request.Url)}: {e.Request.FailureText}");
        page.Request += (_, e) =>
        {
            if (!e.Request.Url.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && !e.Request.Url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
                Add(_externalRequests, e.Request.Url);
        };
    }

    /// <summary>Console errors and browser log entries of level error, in order.</summary>
    internal IReadOnlyList<string> ConsoleErrors => Snapshot(_consoleErrors);

    /// <summary>Uncaught exceptions of the page's scripts.</summary>
    internal IReadOnlyList<string> PageErrors => Snapshot(_pageErrors);

    /// <summary>Requests that failed: URL and Chromium's error text.</summary>
    internal IReadOnlyList<string> FailedRequests => Snapshot(_failedRequests);

    /// <summary>Requests to a URL that is neither <c>file:</c> nor <c>data:</c>.</summary>
    internal IReadOnlyList<string> ExternalRequests => Snapshot(_externalRequests);

    private void Add(List<string> list, string entry)
    {
        lock (_lock) list.Add(entry);
    }

    private IReadOnlyList<string> Snapshot(List<string> list)
    {
        lock (_lock) return list.ToArray();
    }

    private static string Shorten(string url) => url.Length <= 120 ? url : url[..120] + "…";
}
