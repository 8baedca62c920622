using MLRobust.ML.Data;

namespace MLRobust.ML.Transforms.Image;

/// <summary>
/// Bilinear resizing with pixel centres aligned (source x = (x + 0.5) * srcW / dstW - 0.5, clamped at the edges),
/// which is what PIL's BILINEAR does when enlarging. IsoCrop and IsoPad scale by one factor to an intermediate
/// size (rounded), then crop or pad (opaque black) at the anchor.
/// </summary>
internal static class ImageResampler
{
    internal static MLImage Resize(MLImage source, int width, int height, ImageResizingEstimator.ResizingKind kind, ImageResizingEstimator.Anchor anchor)
    {
        var sw = source.Width;
        var sh = source.Height;
        int tw, th, cropX = 0, cropY = 0, padX = 0, padY = 0;
        switch (kind)
        {
            case ImageResizingEstimator.ResizingKind.Fill:
                tw = width;
                th = height;
                break;
            case ImageResizingEstimator.ResizingKind.IsoCrop:
            {
                var s = Math.Max((double)width / sw, (double)height / sh);
                tw = Math.Max(width, (int)Math.Round(sw * s));
                th = Math.Max(height, (int)Math.Round(sh * s));
                (cropX, cropY) = Place(tw - width, th - height, anchor);
                break;
            }
            case ImageResizingEstimator.ResizingKind.IsoPad:
            {
                var s = Math.Min((double)width / sw, (double)height / sh);
                tw = Math.Clamp((int)Math.Round(sw * s), 1, width);
                th = Math.Clamp((int)Math.Round(sh * s), 1, height);
                (padX, padY) = Place(width - tw, height - th, anchor);
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown resizing kind.");
        }

        var channels = MLImage.BytesPerPixel(source.PixelFormat);
        var src = source.PixelArray;
        var dst = new byte[width * height * channels];
        if (kind == ImageResizingEstimator.ResizingKind.IsoPad && channels == 4)
        {
            // Opaque black: alpha is the last byte in both RGBA and BGRA.
            for (var p = 3; p < dst.Length; p += 4) dst[p] = 255;
        }

        var (x0, x1, wx) = Axis(sw, tw, cropX, Math.Min(width, tw));
        var (y0, y1, wy) = Axis(sh, th, cropY, Math.Min(height, th));
        var outW = Math.Min(width, tw);
        var outH = Math.Min(height, th);
        var srcStride = sw * channels;
        for (var y = 0; y < outH; y++)
        {
            var rowA = src.AsSpan(y0[y] * srcStride, srcStride);
            var rowB = src.AsSpan(y1[y] * srcStride, srcStride);
            var output = dst.AsSpan(((y + padY) * width + padX) * channels, outW * channels);
            if (channels == 4) Row4(rowA, rowB, wy[y], x0, x1, wx, output);
            else RowN(rowA, rowB, wy[y], x0, x1, wx, output, channels);
        }
        return MLImage.FromOwnedPixels(width, height, source.PixelFormat, dst);
    }

    // A bilinear mix of four bytes is a convex combination, so it stays in [0, 255]: no clamping needed.
    private static unsafe void Row4(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, float fy, int[] x0, int[] x1, float[] wx, Span<byte> output)
    {
        if (output.Length < x0.Length * 4) throw new ArgumentException("The output row is too short.", nameof(output));
        fixed (byte* pa = a, pb = b, po = output)
        fixed (int* i0 = x0, i1 = x1)
        fixed (float* w = wx)
        {
            // x0/x1 index whole pixels inside the row (Axis clamps them), so every read below is in bounds.
            for (var x = 0; x < x0.Length; x++)
            {
                var i = i0[x] * 4;
                var j = i1[x] * 4;
                var fx = w[x];
                var o = po + x * 4;
                for (var c = 0; c < 4; c++)
                {
                    float top = pa[i + c] + (pa[j + c] - pa[i + c]) * fx;
                    float bottom = pb[i + c] + (pb[j + c] - pb[i + c]) * fx;
                    o[c] = (byte)(top + (bottom - top) * fy + 0.5f);
                }
            }
        }
    }

    private static void RowN(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, float fy, int[] x0, int[] x1, float[] wx, Span<byte> output, int channels)
    {
        for (var x = 0; x < x0.Length; x++)
        {
            var i = x0[x] * channels;
            var j = x1[x] * channels;
            var fx = wx[x];
            for (var c = 0; c < channels; c++)
            {
                var top = a[i + c] + (a[j + c] - a[i + c]) * fx;
                var bottom = b[i + c] + (b[j + c] - b[i + c]) * fx;
                output[x * channels + c] = (byte)(top + (bottom - top) * fy + 0.5f);
            }
        }
    }

    // For output positions [offset, offset + count) of an axis scaled from n to m: the two source indices and the weight.
    private static (int[] I0, int[] I1, float[] W) Axis(int n, int m, int offset, int count)
    {
        var i0 = new int[count];
        var i1 = new int[count];
        var w = new float[count];
        var ratio = (double)n / m;
        for (var i = 0; i < count; i++)
        {
            var f = Math.Clamp((i + offset + 0.5) * ratio - 0.5, 0, n - 1);
            var lo = (int)Math.Floor(f);
            i0[i] = lo;
            i1[i] = Math.Min(lo + 1, n - 1);
            w[i] = (float)(f - lo);
        }
        return (i0, i1, w);
    }

    // Where the slack (crop or pad) goes for an anchor: left/top take none before, right/bottom all, centre half.
    private static (int X, int Y) Place(int slackX, int slackY, ImageResizingEstimator.Anchor anchor) => anchor switch
    {
        ImageResizingEstimator.Anchor.Left => (0, slackY / 2),
        ImageResizingEstimator.Anchor.Right => (slackX, slackY / 2),
        ImageResizingEstimator.Anchor.Top => (slackX / 2, 0),
        ImageResizingEstimator.Anchor.Bottom => (slackX / 2, slackY),
        ImageResizingEstimator.Anchor.Center => (slackX / 2, slackY / 2),
        _ => throw new ArgumentOutOfRangeException(nameof(anchor), anchor, "Unknown anchor."),
    };
}
