using PuppeteerSharp;

namespace MLRobust.Cli.Tests.Browser;

/// <summary>How wide the document is at the current viewport, and which elements make it so.</summary>
/// <param name="ScrollWidth">document.documentElement.scrollWidth, CSS pixels.</param>
/// <param name="ViewportWidth">The layout viewport's width (document.documentElement.clientWidth), CSS pixels: the emulated
/// screen's width for a page with <c>width=device-width</c>. Not window.innerWidth: on an emulated phone Chromium zooms
/// out to fit content that sticks out, and innerWidth then grows to the content's width, so comparing scrollWidth with it
/// would never find an overflow.</param>
/// <param name="InnerWidth">window.innerWidth, CSS pixels (for the message).</param>
/// <param name="Widest">Up to 10 elements whose right edge is beyond the viewport and which no scrolling (or clipping) box
/// holds, rightmost first, each as its path from body ("section#s2 > div.row > figure: right edge 512 px, width 480 px").</param>
internal sealed record HorizontalOverflow(int ScrollWidth, int ViewportWidth, int InnerWidth, string[] Widest)
{
    /// <summary>True when the page scrolls sideways (one pixel of rounding allowed).</summary>
    internal bool Overflows => ScrollWidth > ViewportWidth + 1;
}

internal static class PageLayout
{
    /// <summary>Measures the page's sideways overflow at the current viewport (elements inside an inline SVG are left out
    /// of <see cref="HorizontalOverflow.Widest"/>: their SVG is listed instead).</summary>
    internal static Task<HorizontalOverflow> MeasureHorizontalOverflowAsync(IPage page) =>
        page.EvaluateExpressionAsync<HorizontalOverflow>("""
            (() => {
              const vw = document.documentElement.clientWidth;
              const clipped = el => {
                for (let a = el.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement)
                  if (getComputedStyle(a).overflowX !== 'visible') return true;
                return false;
              };
              const describe = el => {
                let s = el.tagName.toLowerCase();
                if (el.id) s += '#' + el.id;
                const c = el.getAttribute('class');
                if (c) s += '.' + c.trim().split(/\s+/).join('.');
                return s;
              };
              const path = el => { const parts = []; for (let e = el; e && e !== document.body; e = e.parentElement) parts.unshift(describe(e)); return parts.join(' > '); };
              const widest = Array.from(document.body.querySelectorAll('*'))
                .filter(e => !(e.parentElement && e.parentElement.closest('svg')) && !clipped(e))
                .map(e => ({ e, r: e.getBoundingClientRect() }))
                .filter(x => x.r.right > vw + 1)
                .sort((a, b) => b.r.right - a.r.right)
                .slice(0, 10)
                .map(x => `${path(x.e)}: right edge ${x.r.right.toFixed(0)} px, width ${x.r.width.toFixed(0)} px`);
              return { scrollWidth: document.documentElement.scrollWidth, viewportWidth: vw, innerWidth: window.innerWidth, widest };
            })()
            """);
}
