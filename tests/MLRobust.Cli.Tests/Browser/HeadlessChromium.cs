using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MLRobust.Cli.Tests.Browser;

/// <summary>
/// Debian's headless Chromium driven over the DevTools protocol (a WebSocket and JSON, no browser-automation package):
/// one page, attached with a flat session, that records console errors, failed requests and requests to anything but
/// <c>file:</c> and <c>data:</c> URLs. Every wait has a timeout, so a hung or crashed browser fails the test with a
/// message (and the end of Chromium's stderr) instead of hanging the run. Dispose kills the browser's process tree and
/// deletes its fresh profile folder.
/// </summary>
internal sealed partial class HeadlessChromium : IDisposable
{
    /// <summary>Debian's <c>chromium</c> package (installed by ./build.sh).</summary>
    internal const string Executable = "/usr/bin/chromium";

    internal static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    internal static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    internal static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly StderrTail _stderr = new();
    private readonly object _eventsLock = new();
    private readonly List<(string Method, JsonElement Params)> _events = new();
    private readonly Dictionary<string, string> _requestUrls = new();
    private readonly List<string> _consoleErrors = new();
    private readonly List<string> _failedRequests = new();
    private readonly List<string> _externalRequests = new();
    private TaskCompletionSource _eventArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiver = Task.CompletedTask;
    private Exception? _receiveFailure;
    private int _nextId;
    private string? _sessionId;
    private bool _disposed;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Console errors (console.error/assert), log entries of level error and uncaught exceptions, in order.</summary>
    internal IReadOnlyList<string> ConsoleErrors { get { lock (_eventsLock) return _consoleErrors.ToArray(); } }

    /// <summary>Requests that failed (Network.loadingFailed): URL and Chromium's error text.</summary>
    internal IReadOnlyList<string> FailedRequests { get { lock (_eventsLock) return _failedRequests.ToArray(); } }

    /// <summary>Requests to a URL that is neither <c>file:</c> nor <c>data:</c>, which a self-contained page must not make.</summary>
    internal IReadOnlyList<string> ExternalRequests { get { lock (_eventsLock) return _externalRequests.ToArray(); } }

    /// <summary>Starts Chromium with a fresh profile, connects to it and opens one blank page with Page, Runtime, Log
    /// and Network enabled.</summary>
    /// <param name="executable">The browser; Debian's <see cref="Executable"/> unless a test of the harness says otherwise.</param>
    internal static async Task<HeadlessChromium> StartAsync(string executable = Executable)
    {
        if (!File.Exists(executable))
            throw new InvalidOperationException(
                $"{executable} is missing: the browser tests need Debian's chromium package. Install it with ./build.sh " +
                "(which installs missing prerequisites) or 'sudo apt-get install --no-install-recommends chromium'.");
        var profile = Directory.CreateTempSubdirectory("mlr-chromium-").FullName;
        var psi = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0", "--user-data-dir=" + profile,
            "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-extensions", "--disable-default-apps", "--disable-domain-reliability",
            "--disable-client-side-phishing-detection", "--metrics-recording-only", "--no-pings", "--mute-audio",
            "--hide-scrollbars", "--password-store=basic", "--use-mock-keychain", "--disable-dev-shm-usage",
            "about:blank",
        }) psi.ArgumentList.Add(argument);

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"{executable} did not start");
        }
        catch
        {
            TryDelete(profile);
            throw;
        }
        var browser = new HeadlessChromium(process, profile);
        try
        {
            await browser.ConnectAsync();
            return browser;
        }
        catch
        {
            browser.Dispose();
            throw;
        }
    }

    private async Task ConnectAsync()
    {
        var endpoint = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                endpoint.TrySetException(new InvalidOperationException($"Chromium closed its stderr before printing its DevTools endpoint.{_stderr.Describe()}"));
                return;
            }
            _stderr.Add(e.Data);
            var match = DevToolsLine().Match(e.Data);
            if (match.Success) endpoint.TrySetResult(match.Groups[1].Value);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        string url;
        try
        {
            url = await endpoint.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Chromium printed no 'DevTools listening on ws://...' line in {StartTimeout.TotalSeconds:0} s.{_stderr.Describe()}");
        }

        using (var connect = new CancellationTokenSource(StartTimeout))
        {
            _socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await _socket.ConnectAsync(new Uri(url), connect.Token);
        }
        _receiver = Task.Run(ReceiveLoopAsync);

        var target = await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, browserLevel: true);
        var targetId = target.GetProperty("targetId").GetString()!;
        var attached = await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = targetId, ["flatten"] = true }, browserLevel: true);
        _sessionId = attached.GetProperty("sessionId").GetString()!;
        foreach (var domain in new[] { "Page", "Runtime", "Log", "Network" }) await SendAsync(domain + ".enable");
    }

    /// <summary>Navigates the page to <paramref name="url"/> and waits for its load event.</summary>
    internal async Task NavigateAsync(string url)
    {
        int seen;
        lock (_eventsLock) seen = _events.Count;
        var result = await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        if (result.TryGetProperty("errorText", out var error) && error.GetString() is { Length: > 0 } text)
            throw new InvalidOperationException($"Chromium could not open {url}: {text}");
        await WaitForEventAsync("Page.loadEventFired", seen, LoadTimeout, $"the load event of {url}");
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page (awaiting a promise it returns) and returns its value
    /// as JSON; a thrown exception fails with its description.</summary>
    internal async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true,
        });
        if (result.TryGetProperty("exceptionDetails", out var details))
            throw new InvalidOperationException($"The page threw evaluating {expression}: {Describe(details)}");
        var value = result.GetProperty("result");
        return value.TryGetProperty("value", out var v) ? v : default;
    }

    /// <summary>Evaluates <paramref name="expression"/> and deserialises its value.</summary>
    internal async Task<T> EvaluateAsync<T>(string expression)
    {
        var value = await EvaluateAsync(expression);
        if (value.ValueKind == JsonValueKind.Undefined) throw new InvalidOperationException($"{expression} returned undefined.");
        return value.Deserialize<T>(JsonSerializerOptions.Web) ?? throw new InvalidOperationException($"{expression} returned null.");
    }

    /// <summary>Emulates a screen: width and height in CSS pixels, the device pixel ratio, and whether it is a phone
    /// (which makes Chromium honour the page's viewport meta tag).</summary>
    internal Task SetViewportAsync(int width, int height, double deviceScaleFactor, bool mobile) =>
        SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject
        {
            ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = deviceScaleFactor, ["mobile"] = mobile,
        });

    /// <summary>Emulates a CSS media type ("print", "screen"); an empty string restores the default.</summary>
    internal Task SetEmulatedMediaAsync(string media) =>
        SendAsync("Emulation.setEmulatedMedia", new JsonObject { ["media"] = media });

    /// <summary>A PNG of the whole page (beyond the viewport), written to <paramref name="path"/>; returns its bytes.</summary>
    internal async Task<byte[]> ScreenshotAsync(string path)
    {
        var metrics = await SendAsync("Page.getLayoutMetrics");
        var content = metrics.GetProperty("cssContentSize");
        var width = Math.Ceiling(content.GetProperty("width").GetDouble());
        var height = Math.Ceiling(content.GetProperty("height").GetDouble());
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject
        {
            ["format"] = "png",
            ["captureBeyondViewport"] = true,
            ["clip"] = new JsonObject { ["x"] = 0, ["y"] = 0, ["width"] = width, ["height"] = height, ["scale"] = 1 },
        });
        var png = Convert.FromBase64String(shot.GetProperty("data").GetString()!);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllBytesAsync(path, png);
        return png;
    }

    /// <summary>Sends a command (to the page's session unless <paramref name="browserLevel"/>) and returns its result;
    /// a protocol error, a closed connection or no answer within the timeout fails with a message.</summary>
    internal async Task<JsonElement> SendAsync(string method, JsonObject? parameters = null, bool browserLevel = false, TimeSpan? timeout = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!browserLevel && _sessionId is null) throw new InvalidOperationException("No page session yet.");
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (!browserLevel) message["sessionId"] = _sessionId;
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        if (_receiveFailure is { } failure) answer.TrySetException(failure);
        var limit = timeout ?? CommandTimeout;
        try
        {
            var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
            using (var sending = new CancellationTokenSource(limit))
            {
                await _sendLock.WaitAsync(sending.Token);
                try { await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, sending.Token); }
                finally { _sendLock.Release(); }
            }
            var response = await answer.Task.WaitAsync(limit);
            if (response.TryGetProperty("error", out var error))
                throw new InvalidOperationException($"Chromium answered {method} with an error: {error.GetRawText()}");
            return response.TryGetProperty("result", out var result) ? result : default;
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            throw new TimeoutException($"Chromium did not answer {method} within {limit.TotalSeconds:0} s.{_stderr.Describe()}", e);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Waits for the first event <paramref name="method"/> of the page's session from the
    /// <paramref name="after"/>-th event on (events are buffered, so one that came before the wait began counts).</summary>
    internal async Task<JsonElement> WaitForEventAsync(string method, int after, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Task arrived;
            lock (_eventsLock)
            {
                for (var i = after; i < _events.Count; i++)
                    if (_events[i].Method == method) return _events[i].Params;
                arrived = _eventArrived.Task;
            }
            if (_receiveFailure is { } failure)
                throw new InvalidOperationException($"The connection to Chromium failed while waiting for {what}.{_stderr.Describe()}", failure);
            var left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero || await Task.WhenAny(arrived, Task.Delay(left)) != arrived)
                throw new TimeoutException($"Chromium did not report {what} ({method}) within {timeout.TotalSeconds:0} s.{_stderr.Describe()}");
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                message.SetLength(0);
                WebSocketReceiveResult received;
                do
                {
                    received = await _socket.ReceiveAsync(buffer, _stop.Token);
                    if (received.MessageType == WebSocketMessageType.Close)
                        throw new WebSocketException($"Chromium closed the DevTools connection ({received.CloseStatus} {received.CloseStatusDescription}).");
                    message.Write(buffer, 0, received.Count);
                } while (!received.EndOfMessage);
                Dispatch(message.GetBuffer().AsMemory(0, (int)message.Length));
            }
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            _receiveFailure = e;
            foreach (var pending in _pending.Values) pending.TrySetException(e);
            lock (_eventsLock) _eventArrived.TrySetResult();
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> json)
    {
        JsonElement root;
        using (var document = JsonDocument.Parse(json)) root = document.RootElement.Clone();
        if (root.TryGetProperty("id", out var id))
        {
            if (_pending.TryGetValue(id.GetInt32(), out var answer)) answer.TrySetResult(root);
            return;
        }
        if (!root.TryGetProperty("method", out var methodElement)) return;
        // Only the page's own session: the browser-level connection reports targets, not the page.
        if (!root.TryGetProperty("sessionId", out var session) || session.GetString() != _sessionId) return;
        var method = methodElement.GetString()!;
        var parameters = root.TryGetProperty("params", out var p) ? p : default;
        lock (_eventsLock)
        {
            _events.Add((method, parameters));
            try
            {
                Record(method, parameters);
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
            {
                // An event of a shape this harness does not know: a failure to look at, not one to drop.
                _consoleErrors.Add($"unreadable {method} event ({e.Message}): {Shorten(root.GetRawText())}");
            }
            var arrived = _eventArrived;
            _eventArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            arrived.TrySetResult();
        }
    }

    /// <summary>Turns an event into a console error, a failed request or an external request (under the events lock).</summary>
    private void Record(string method, JsonElement p)
    {
        switch (method)
        {
            case "Runtime.consoleAPICalled":
                var type = p.GetProperty("type").GetString();
                if (type is "error" or "assert")
                {
                    var args = p.TryGetProperty("args", out var a) ? a.EnumerateArray().Select(Describe) : [];
                    _consoleErrors.Add($"console.{type}: {string.Join(' ', args)}");
                }
                break;
            case "Log.entryAdded":
                var entry = p.GetProperty("entry");
                if (entry.GetProperty("level").GetString() == "error")
                    _consoleErrors.Add($"log ({entry.GetProperty("source").GetString()}): {entry.GetProperty("text").GetString()}" +
                        (entry.TryGetProperty("url", out var url) ? $" [{url.GetString()}]" : ""));
                break;
            case "Runtime.exceptionThrown":
                _consoleErrors.Add("uncaught exception: " + Describe(p.GetProperty("exceptionDetails")));
                break;
            case "Network.requestWillBeSent":
                var requestUrl = p.GetProperty("request").GetProperty("url").GetString() ?? "";
                _requestUrls[p.GetProperty("requestId").GetString()!] = requestUrl;
                if (!requestUrl.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && !requestUrl.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
                    _externalRequests.Add(requestUrl);
                break;
            case "Network.loadingFailed":
                var requestId = p.GetProperty("requestId").GetString()!;
                var failedUrl = _requestUrls.TryGetValue(requestId, out var u) ? Shorten(u) : $"request {requestId}";
                var reason = p.TryGetProperty("blockedReason", out var blocked) ? $" (blocked: {blocked.GetString()})" : "";
                _failedRequests.Add($"{failedUrl}: {p.GetProperty("errorText").GetString()}{reason}");
                break;
        }
    }

    private static string Describe(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("exception", out var exception) && exception.TryGetProperty("description", out var d)) return d.GetString() ?? "";
            if (element.TryGetProperty("value", out var value)) return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            if (element.TryGetProperty("description", out var description)) return description.GetString() ?? "";
            if (element.TryGetProperty("text", out var text)) return text.GetString() ?? "";
        }
        return element.GetRawText();
    }

    private static string Shorten(string url) => url.Length <= 120 ? url : url[..120] + "…";

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _stop.Cancel();
        _socket.Abort();
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _receiver.ContinueWith(_ => { }, TaskScheduler.Default).Wait(TimeSpan.FromSeconds(5));
        _process.Dispose();
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
        TryDelete(_profile);
    }

    private static void TryDelete(string folder)
    {
        // Chromium's last child processes may still be closing files in the profile for a moment after the kill.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                return;
            }
            catch (IOException) { Thread.Sleep(200); }
            catch (UnauthorizedAccessException) { Thread.Sleep(200); }
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();

    /// <summary>The last lines Chromium wrote to stderr, for error messages.</summary>
    private sealed class StderrTail
    {
        private const int Lines = 30;
        private readonly Queue<string> _lines = new();

        internal void Add(string line)
        {
            lock (_lines)
            {
                _lines.Enqueue(line);
                while (_lines.Count > Lines) _lines.Dequeue();
            }
        }

        internal string Describe()
        {
            lock (_lines)
                return _lines.Count == 0 ? " Chromium wrote nothing to stderr." : $"\nThe last {_lines.Count} lines of Chromium's stderr:\n  " + string.Join("\n  ", _lines);
        }
    }
}
