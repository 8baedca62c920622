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
            var rowA = y0[y] * srcStride;
            var rowB = y1[y] * srcStride;
            var fy = wy[y];
            var outRow = ((y + padY) * width + padX) * channels;
            for (var x = 0; x < outW; x++)
            {
                var a = x0[x] * channels;
                var b = x1[x] * channels;
                var fx = wx[x];
                var o = outRow + x * channels;
                for (var c = 0; c < channels; c++)
                {
                    var top = src[rowA + a + c] + (src[rowA + b + c] - src[rowA + a + c]) * fx;
                    var bottom = src[rowB + a + c] + (src[rowB + b + c] - src[rowB + a + c]) * fx;
                    var v = top + (bottom - top) * fy;
                    dst[o + c] = (byte)Math.Clamp((int)(v + 0.5f), 0, 255);
                }
            }
        }
        return MLImage.FromOwnedPixels(width, height, source.PixelFormat, dst);
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
