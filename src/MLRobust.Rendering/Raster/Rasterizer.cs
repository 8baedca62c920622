using System.Numerics;
using MLRobust.Rendering.Geometry;

namespace MLRobust.Rendering.Raster;

/// <summary>
/// A deterministic CPU rasterizer for greyscale renders with anti-aliased alpha.
/// <para>
/// Each pixel holds a k×k ordered grid of samples (k = <see cref="RenderOptions.Supersampling"/>).
/// Vertices are snapped to 1/256 of a sample; coverage is decided by integer edge functions with the
/// top-left fill rule, so triangles that share an edge cover each sample exactly once. A z-buffer on
/// 1/depth keeps the nearest surface per sample. Shading is Lambert plus ambient from one sun light,
/// evaluated per vertex and interpolated perspective-correctly (per-face when a primitive has no
/// normals). Alpha = covered samples / k²; intensity = mean shade of the covered samples.
/// </para>
/// Not thread-safe: it owns its sample buffers. Use one instance per thread.
/// </summary>
public sealed class Rasterizer
{
    private const int SubBits = 8;
    private const long SubOne = 1 << SubBits;
    private const long SubHalf = SubOne / 2;
    /// <summary>Sample units beyond the image edge inside which triangles are rasterized unclipped.</summary>
    private const double GuardBand = 65536;

    private readonly RenderOptions _options;
    private readonly int _k, _sw, _sh;
    private readonly float[] _depth;
    private readonly float[] _value;
    private readonly Vector3 _sun;

    // Per-vertex scratch, grown on demand.
    private double[] _wx = [], _wy = [], _wz = [];
    private double[] _hx = [], _hy = [], _hw = [];
    private long[] _fx = [], _fy = [];
    private float[] _invD = [], _dot = [], _albedo = [];
    private byte[] _outcode = [];

    public Rasterizer(RenderOptions? options = null)
    {
        _options = (options ?? new RenderOptions()).Clone();
        _options.Validate();
        _k = _options.Supersampling;
        _sw = _options.Width * _k;
        _sh = _options.Height * _k;
        _depth = new float[_sw * _sh];
        _value = new float[_sw * _sh];
        _sun = Vector3.Normalize(_options.SunDirection);
    }

    /// <summary>A copy of the options this rasterizer was made with.</summary>
    public RenderOptions Options => _options.Clone();

    public RenderResult Render(Model3D model, Pose pose)
    {
        var result = new RenderResult(_options.Width, _options.Height);
        Render(model, pose, result.Intensity, result.Alpha);
        return result;
    }

    /// <summary>Renders into caller-owned buffers of Width·Height floats (intensity straight, alpha coverage).</summary>
    public void Render(Model3D model, Pose pose, Span<float> intensity, Span<float> alpha)
    {
        ArgumentNullException.ThrowIfNull(model);
        int pixels = _options.Width * _options.Height;
        if (intensity.Length != pixels) throw new ArgumentException($"intensity must hold {pixels} floats, got {intensity.Length}", nameof(intensity));
        if (alpha.Length != pixels) throw new ArgumentException($"alpha must hold {pixels} floats, got {alpha.Length}", nameof(alpha));
        if (!(pose.Scale > 0) || !float.IsFinite(pose.Scale))
            throw new ArgumentOutOfRangeException(nameof(pose), pose.Scale, "pose scale must be a positive finite number");
        if (!float.IsFinite(pose.Rx) || !float.IsFinite(pose.Ry) || !float.IsFinite(pose.Rz) || !float.IsFinite(pose.ShiftX) || !float.IsFinite(pose.ShiftY))
            throw new ArgumentOutOfRangeException(nameof(pose), pose, "pose angles and shifts must be finite");

        Array.Clear(_depth);
        var frame = new Frame(this, pose);
        foreach (var prim in model.Primitives)
            DrawPrimitive(prim, frame);
        Resolve(intensity, alpha);
    }

    /// <summary>Per-render constants of the projection.</summary>
    private readonly struct Frame
    {
        public readonly Matrix4x4 Model;
        public readonly double F, Ox, Oy; // focal length and principal point, in sample units
        public readonly double MaxX, MaxY;

        public Frame(Rasterizer r, Pose pose)
        {
            Model = Camera.ModelMatrix(pose);
            int w = r._options.Width, h = r._options.Height;
            F = Camera.FocalLengthPixels(w) * r._k;
            Ox = (w / 2.0 + pose.ShiftX * (double)w) * r._k;
            Oy = (h / 2.0 - pose.ShiftY * (double)w) * r._k;
            MaxX = r._sw + GuardBand;
            MaxY = r._sh + GuardBand;
        }
    }

    private void Grow(int n)
    {
        if (_wx.Length >= n) return;
        int size = Math.Max(n, _wx.Length * 2);
        _wx = new double[size]; _wy = new double[size]; _wz = new double[size];
        _hx = new double[size]; _hy = new double[size]; _hw = new double[size];
        _fx = new long[size]; _fy = new long[size];
        _invD = new float[size]; _dot = new float[size]; _albedo = new float[size];
        _outcode = new byte[size];
    }

    private void DrawPrimitive(Primitive3D prim, in Frame frame)
    {
        int n = prim.VertexCount;
        if (n == 0 || prim.Indices.Length == 0) return;
        Grow(n);
        var m = frame.Model;
        var pos = prim.Positions;
        var material = prim.Material;
        var baseRgb = new Vector3(material.BaseColor.X, material.BaseColor.Y, material.BaseColor.Z);
        float baseAlbedo = Vector3.Dot(baseRgb, Material3D.LuminanceWeights);
        for (int v = 0; v < n; v++)
        {
            double x = pos[3 * v], y = pos[3 * v + 1], z = pos[3 * v + 2];
            double wx = x * m.M11 + y * m.M21 + z * m.M31 + m.M41;
            double wy = x * m.M12 + y * m.M22 + z * m.M32 + m.M42;
            double wz = x * m.M13 + y * m.M23 + z * m.M33 + m.M43;
            _wx[v] = wx; _wy[v] = wy; _wz[v] = wz;
            double hw = Camera.Distance - wz;
            double hx = frame.Ox * hw + frame.F * wx;
            double hy = frame.Oy * hw - frame.F * wy;
            _hx[v] = hx; _hy[v] = hy; _hw[v] = hw;
            byte code = 0;
            if (hw < Camera.NearPlane) code |= 1;
            if (hx < -GuardBand * hw) code |= 2;
            if (hx > frame.MaxX * hw) code |= 4;
            if (hy < -GuardBand * hw) code |= 8;
            if (hy > frame.MaxY * hw) code |= 16;
            _outcode[v] = code;
            if (code == 0)
            {
                _fx[v] = (long)Math.Floor(hx / hw * SubOne + 0.5);
                _fy[v] = (long)Math.Floor(hy / hw * SubOne + 0.5);
                _invD[v] = (float)(1.0 / hw);
            }
            _albedo[v] = prim.Colors is { } c
                ? Vector3.Dot(baseRgb * new Vector3(c[3 * v], c[3 * v + 1], c[3 * v + 2]), Material3D.LuminanceWeights)
                : baseAlbedo;
        }
        if (prim.Normals is { } normals)
            for (int v = 0; v < n; v++)
            {
                var nn = Vector3.TransformNormal(new Vector3(normals[3 * v], normals[3 * v + 1], normals[3 * v + 2]), m);
                float len = nn.Length();
                _dot[v] = len > 0 ? Vector3.Dot(nn, _sun) / len : 0;
            }

        switch (prim.Topology)
        {
            case PrimitiveTopology.Triangles:
                DrawTriangles(prim, frame);
                break;
            case PrimitiveTopology.Lines:
                for (int s = 0; s + 1 < prim.Indices.Length; s += 2)
                    DrawLine(prim.Indices[s], prim.Indices[s + 1]);
                break;
            default:
                foreach (var p in prim.Indices)
                    DrawPoint(p);
                break;
        }
    }

    private float Light(float dot) => _options.Ambient + _options.SunIntensity * MathF.Max(0, dot);

    private void DrawTriangles(Primitive3D prim, in Frame frame)
    {
        var idx = prim.Indices;
        bool cull = _options.BackFaceCulling && !prim.Material.DoubleSided;
        bool smooth = prim.Normals is not null;
        var texture = prim.Material.BaseColorTexture;
        var uvs = prim.TexCoords;
        var colors = prim.Colors;
        var baseRgb = new Vector3(prim.Material.BaseColor.X, prim.Material.BaseColor.Y, prim.Material.BaseColor.Z);
        bool textured = texture is not null && uvs is not null;
        Span<float> attr = stackalloc float[15]; // per vertex: 1 (grey) or 5 (light·rgb, u, v) values

        for (int t = 0; t + 2 < idx.Length; t += 3)
        {
            int a = idx[t], b = idx[t + 1], c = idx[t + 2];
            byte oa = _outcode[a], ob = _outcode[b], oc = _outcode[c];
            if ((oa & ob & oc) != 0) continue;

            // Facing: from the exact screen-space area when no vertex needs clipping, else in world space.
            bool front;
            if ((oa | ob | oc) == 0)
            {
                long area = (_fx[b] - _fx[a]) * (_fy[c] - _fy[a]) - (_fy[b] - _fy[a]) * (_fx[c] - _fx[a]);
                if (area == 0) continue;
                front = area < 0; // counter-clockwise in the y-up view is clockwise in y-down samples
            }
            else
            {
                double ex1 = _wx[b] - _wx[a], ey1 = _wy[b] - _wy[a], ez1 = _wz[b] - _wz[a];
                double ex2 = _wx[c] - _wx[a], ey2 = _wy[c] - _wy[a], ez2 = _wz[c] - _wz[a];
                double nx = ey1 * ez2 - ez1 * ey2, ny = ez1 * ex2 - ex1 * ez2, nz = ex1 * ey2 - ey1 * ex2;
                double facing = nx * -_wx[a] + ny * -_wy[a] + nz * (Camera.Distance - _wz[a]);
                if (facing == 0) continue;
                front = facing > 0;
            }
            if (!front && cull) continue;

            // Lighting per vertex (smooth) or per face (flat); back faces use the reversed normal.
            float la, lb, lc;
            if (smooth)
            {
                float sign = front ? 1 : -1;
                la = Light(sign * _dot[a]); lb = Light(sign * _dot[b]); lc = Light(sign * _dot[c]);
            }
            else
            {
                var e1 = new Vector3((float)(_wx[b] - _wx[a]), (float)(_wy[b] - _wy[a]), (float)(_wz[b] - _wz[a]));
                var e2 = new Vector3((float)(_wx[c] - _wx[a]), (float)(_wy[c] - _wy[a]), (float)(_wz[c] - _wz[a]));
                var nrm = Vector3.Cross(e1, e2);
                float len = nrm.Length();
                float d = len > 0 ? Vector3.Dot(nrm, _sun) / len : 0;
                la = lb = lc = Light(front ? d : -d);
            }

            int count;
            if (!textured)
            {
                count = 1;
                attr[0] = la * _albedo[a]; attr[1] = lb * _albedo[b]; attr[2] = lc * _albedo[c];
            }
            else
            {
                count = 5;
                FillTexturedAttributes(attr[..5], a, la, baseRgb, colors, uvs!);
                FillTexturedAttributes(attr[5..10], b, lb, baseRgb, colors, uvs!);
                FillTexturedAttributes(attr[10..15], c, lc, baseRgb, colors, uvs!);
            }

            if ((oa | ob | oc) == 0)
            {
                var va = Fast(a, attr[..count]);
                var vb = Fast(b, attr.Slice(count, count));
                var vc = Fast(c, attr.Slice(2 * count, count));
                Fill(va, vb, vc, count, textured ? texture : null);
            }
            else
                ClipAndFill(a, b, c, attr, count, (byte)(oa | ob | oc), textured ? texture : null, frame);
        }
    }

    private static void FillTexturedAttributes(Span<float> dst, int v, float light, Vector3 baseRgb, float[]? colors, float[] uvs)
    {
        var rgb = baseRgb * light;
        if (colors is not null) rgb *= new Vector3(colors[3 * v], colors[3 * v + 1], colors[3 * v + 2]);
        dst[0] = rgb.X; dst[1] = rgb.Y; dst[2] = rgb.Z;
        dst[3] = uvs[2 * v]; dst[4] = uvs[2 * v + 1];
    }

    /// <summary>A screen-space vertex: fixed-point position, 1/depth, attributes premultiplied by 1/depth.</summary>
    private struct RasterVertex
    {
        public long X, Y;
        public float InvD;
        public float Q0, Q1, Q2, Q3, Q4;

        public readonly float Q(int i) => i switch { 0 => Q0, 1 => Q1, 2 => Q2, 3 => Q3, _ => Q4 };
    }

    private RasterVertex Fast(int v, ReadOnlySpan<float> attributes)
    {
        float w = _invD[v];
        var rv = new RasterVertex { X = _fx[v], Y = _fy[v], InvD = w };
        SetAttributes(ref rv, attributes, w);
        return rv;
    }

    private static void SetAttributes(ref RasterVertex rv, ReadOnlySpan<float> attributes, float w)
    {
        rv.Q0 = attributes[0] * w;
        if (attributes.Length > 1)
        {
            rv.Q1 = attributes[1] * w; rv.Q2 = attributes[2] * w; rv.Q3 = attributes[3] * w; rv.Q4 = attributes[4] * w;
        }
    }

    /// <summary>A vertex in homogeneous sample space, for clipping: (hx, hy, hw) and raw attributes.</summary>
    private struct ClipVertex
    {
        public double X, Y, W;
        public float A0, A1, A2, A3, A4;

        public static ClipVertex Lerp(in ClipVertex p, in ClipVertex q, double t) => new()
        {
            X = p.X + (q.X - p.X) * t,
            Y = p.Y + (q.Y - p.Y) * t,
            W = p.W + (q.W - p.W) * t,
            A0 = (float)(p.A0 + (q.A0 - p.A0) * t),
            A1 = (float)(p.A1 + (q.A1 - p.A1) * t),
            A2 = (float)(p.A2 + (q.A2 - p.A2) * t),
            A3 = (float)(p.A3 + (q.A3 - p.A3) * t),
            A4 = (float)(p.A4 + (q.A4 - p.A4) * t),
        };
    }

    private ClipVertex ClipOf(int v, ReadOnlySpan<float> a) => new()
    {
        X = _hx[v], Y = _hy[v], W = _hw[v],
        A0 = a[0],
        A1 = a.Length > 1 ? a[1] : 0, A2 = a.Length > 1 ? a[2] : 0, A3 = a.Length > 1 ? a[3] : 0, A4 = a.Length > 1 ? a[4] : 0,
    };

    private static double PlaneDistance(in ClipVertex v, int plane, in Frame frame) => plane switch
    {
        0 => v.W - Camera.NearPlane,
        1 => v.X + GuardBand * v.W,
        2 => frame.MaxX * v.W - v.X,
        3 => v.Y + GuardBand * v.W,
        _ => frame.MaxY * v.W - v.Y,
    };

    private void ClipAndFill(int a, int b, int c, ReadOnlySpan<float> attr, int count, byte planes, Texture2D? texture, in Frame frame)
    {
        Span<ClipVertex> poly = stackalloc ClipVertex[16];
        Span<ClipVertex> next = stackalloc ClipVertex[16];
        poly[0] = ClipOf(a, attr[..count]);
        poly[1] = ClipOf(b, attr.Slice(count, count));
        poly[2] = ClipOf(c, attr.Slice(2 * count, count));
        int n = 3;
        for (int plane = 0; plane < 5 && n > 0; plane++)
        {
            if ((planes & (1 << plane)) == 0) continue;
            int m = 0;
            for (int i = 0; i < n; i++)
            {
                ref var p = ref poly[i];
                ref var q = ref poly[(i + 1) % n];
                double dp = PlaneDistance(p, plane, frame), dq = PlaneDistance(q, plane, frame);
                if (dp >= 0) next[m++] = p;
                if ((dp >= 0) != (dq >= 0))
                    next[m++] = ClipVertex.Lerp(p, q, dp / (dp - dq));
            }
            next[..m].CopyTo(poly);
            n = m;
        }
        if (n < 3) return;
        Span<RasterVertex> rv = stackalloc RasterVertex[16];
        Span<float> raw = stackalloc float[5];
        for (int i = 0; i < n; i++)
        {
            ref var p = ref poly[i];
            float w = (float)(1.0 / p.W);
            rv[i] = new RasterVertex
            {
                X = (long)Math.Floor(p.X / p.W * SubOne + 0.5),
                Y = (long)Math.Floor(p.Y / p.W * SubOne + 0.5),
                InvD = w,
            };
            raw[0] = p.A0; raw[1] = p.A1; raw[2] = p.A2; raw[3] = p.A3; raw[4] = p.A4;
            SetAttributes(ref rv[i], raw[..count], w);
        }
        for (int i = 1; i + 1 < n; i++)
            Fill(rv[0], rv[i], rv[i + 1], count, texture);
    }

    /// <summary>Rasterizes one screen-space triangle of either winding into the sample buffers.</summary>
    private void Fill(RasterVertex v0, RasterVertex v1, RasterVertex v2, int attributeCount, Texture2D? texture)
    {
        long area = (v1.X - v0.X) * (v2.Y - v0.Y) - (v1.Y - v0.Y) * (v2.X - v0.X);
        if (area == 0) return;
        if (area < 0)
        {
            (v1, v2) = (v2, v1);
            area = -area;
        }

        // Samples whose centres (i + 0.5 in sample units) fall inside the bounding box, clipped to the image.
        long minX = Math.Min(v0.X, Math.Min(v1.X, v2.X)), maxX = Math.Max(v0.X, Math.Max(v1.X, v2.X));
        long minY = Math.Min(v0.Y, Math.Min(v1.Y, v2.Y)), maxY = Math.Max(v0.Y, Math.Max(v1.Y, v2.Y));
        long i0 = Math.Max(0, CeilDiv(minX - SubHalf, SubOne)), i1 = Math.Min(_sw - 1, FloorDiv(maxX - SubHalf, SubOne));
        long j0 = Math.Max(0, CeilDiv(minY - SubHalf, SubOne)), j1 = Math.Min(_sh - 1, FloorDiv(maxY - SubHalf, SubOne));
        if (i0 > i1 || j0 > j1) return;

        // Edge e01 runs v0->v1 (weight of v2), e12 v1->v2 (weight of v0), e20 v2->v0 (weight of v1).
        // Interior: all three >= 0. Top-left rule: edges that are neither top nor left exclude the samples on them.
        long bias01 = IsTopLeft(v0, v1) ? 0 : -1, bias12 = IsTopLeft(v1, v2) ? 0 : -1, bias20 = IsTopLeft(v2, v0) ? 0 : -1;
        long sx = i0 * SubOne + SubHalf, sy = j0 * SubOne + SubHalf;
        long row01 = Edge(v0, v1, sx, sy) + bias01, row12 = Edge(v1, v2, sx, sy) + bias12, row20 = Edge(v2, v0, sx, sy) + bias20;
        long dx01 = -(v1.Y - v0.Y) * SubOne, dy01 = (v1.X - v0.X) * SubOne;
        long dx12 = -(v2.Y - v1.Y) * SubOne, dy12 = (v2.X - v1.X) * SubOne;
        long dx20 = -(v0.Y - v2.Y) * SubOne, dy20 = (v0.X - v2.X) * SubOne;

        float invArea = 1f / area;
        float w0 = v0.InvD, w1 = v1.InvD - v0.InvD, w2 = v2.InvD - v0.InvD;
        var depth = _depth;
        var value = _value;
        if (texture is null)
        {
            float q0 = v0.Q0, q1 = v1.Q0 - v0.Q0, q2 = v2.Q0 - v0.Q0;
            for (long j = j0; j <= j1; j++)
            {
                long e01 = row01, e12 = row12, e20 = row20;
                int rowBase = (int)j * _sw;
                for (long i = i0; i <= i1; i++)
                {
                    if ((e01 | e12 | e20) >= 0)
                    {
                        float l1 = e20 * invArea, l2 = e01 * invArea;
                        float w = w0 + w1 * l1 + w2 * l2;
                        int at = rowBase + (int)i;
                        if (w > depth[at])
                        {
                            depth[at] = w;
                            value[at] = (q0 + q1 * l1 + q2 * l2) / w;
                        }
                    }
                    e01 += dx01; e12 += dx12; e20 += dx20;
                }
                row01 += dy01; row12 += dy12; row20 += dy20;
            }
            return;
        }

        for (long j = j0; j <= j1; j++)
        {
            long e01 = row01, e12 = row12, e20 = row20;
            int rowBase = (int)j * _sw;
            for (long i = i0; i <= i1; i++)
            {
                if ((e01 | e12 | e20) >= 0)
                {
                    float l1 = e20 * invArea, l2 = e01 * invArea, l0 = 1 - l1 - l2;
                    float w = w0 + w1 * l1 + w2 * l2;
                    int at = rowBase + (int)i;
                    if (w > depth[at])
                    {
                        depth[at] = w;
                        float r = (v0.Q0 * l0 + v1.Q0 * l1 + v2.Q0 * l2) / w;
                        float g = (v0.Q1 * l0 + v1.Q1 * l1 + v2.Q1 * l2) / w;
                        float b = (v0.Q2 * l0 + v1.Q2 * l1 + v2.Q2 * l2) / w;
                        float u = (v0.Q3 * l0 + v1.Q3 * l1 + v2.Q3 * l2) / w;
                        float v = (v0.Q4 * l0 + v1.Q4 * l1 + v2.Q4 * l2) / w;
                        var (tr, tg, tb) = texture.Sample(u, v);
                        value[at] = r * tr * Material3D.LuminanceWeights.X + g * tg * Material3D.LuminanceWeights.Y + b * tb * Material3D.LuminanceWeights.Z;
                    }
                }
                e01 += dx01; e12 += dx12; e20 += dx20;
            }
            row01 += dy01; row12 += dy12; row20 += dy20;
        }
    }

    /// <summary>For triangles clockwise on the y-down sample grid: a top edge is horizontal going right, a left edge goes up.</summary>
    private static bool IsTopLeft(in RasterVertex p, in RasterVertex q)
    {
        long dy = q.Y - p.Y, dx = q.X - p.X;
        return dy < 0 || (dy == 0 && dx > 0);
    }

    private static long Edge(in RasterVertex p, in RasterVertex q, long sx, long sy) =>
        (q.X - p.X) * (sy - p.Y) - (q.Y - p.Y) * (sx - p.X);

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static long CeilDiv(long a, long b) => -FloorDiv(-a, b);

    /// <summary>A line segment becomes a screen-space band LineWidth pixels wide, unlit (the material's albedo).</summary>
    private void DrawLine(int a, int b)
    {
        var p = new ClipVertex { X = _hx[a], Y = _hy[a], W = _hw[a], A0 = _albedo[a] };
        var q = new ClipVertex { X = _hx[b], Y = _hy[b], W = _hw[b], A0 = _albedo[b] };
        // Only the near plane matters for a thin band; the bounding box handles the image edges,
        // and points beyond the guard band are pulled in along the segment.
        double t0 = 0, t1 = 1;
        double[] dp = [p.W - Camera.NearPlane, p.X + GuardBand * p.W, (_sw + GuardBand) * p.W - p.X, p.Y + GuardBand * p.W, (_sh + GuardBand) * p.W - p.Y];
        double[] dq = [q.W - Camera.NearPlane, q.X + GuardBand * q.W, (_sw + GuardBand) * q.W - q.X, q.Y + GuardBand * q.W, (_sh + GuardBand) * q.W - q.Y];
        for (int k = 0; k < 5; k++)
        {
            if (dp[k] < 0 && dq[k] < 0) return;
            if (dp[k] < 0) t0 = Math.Max(t0, dp[k] / (dp[k] - dq[k]));
            else if (dq[k] < 0) t1 = Math.Min(t1, dp[k] / (dp[k] - dq[k]));
        }
        if (t0 >= t1) return;
        var s = ClipVertex.Lerp(p, q, t0);
        var e = ClipVertex.Lerp(p, q, t1);
        double sx = s.X / s.W, sy = s.Y / s.W, ex = e.X / e.W, ey = e.Y / e.W;
        double len = Math.Sqrt((ex - sx) * (ex - sx) + (ey - sy) * (ey - sy));
        if (!(len > 1e-9)) return;
        double half = _options.LineWidth * _k / 2.0;
        double nx = -(ey - sy) / len * half, ny = (ex - sx) / len * half;
        var c0 = Screen(sx + nx, sy + ny, s); var c1 = Screen(ex + nx, ey + ny, e);
        var c2 = Screen(ex - nx, ey - ny, e); var c3 = Screen(sx - nx, sy - ny, s);
        Fill(c0, c1, c2, 1, null);
        Fill(c0, c2, c3, 1, null);
    }

    /// <summary>A point becomes a screen-space square PointSize pixels wide, unlit.</summary>
    private void DrawPoint(int v)
    {
        if (_outcode[v] != 0) return;
        var centre = new ClipVertex { X = _hx[v], Y = _hy[v], W = _hw[v], A0 = _albedo[v] };
        double cx = centre.X / centre.W, cy = centre.Y / centre.W;
        double half = _options.PointSize * _k / 2.0;
        var c0 = Screen(cx - half, cy - half, centre); var c1 = Screen(cx + half, cy - half, centre);
        var c2 = Screen(cx + half, cy + half, centre); var c3 = Screen(cx - half, cy + half, centre);
        Fill(c0, c1, c2, 1, null);
        Fill(c0, c2, c3, 1, null);
    }

    private static RasterVertex Screen(double x, double y, in ClipVertex source)
    {
        float w = (float)(1.0 / source.W);
        return new RasterVertex
        {
            X = (long)Math.Floor(x * SubOne + 0.5),
            Y = (long)Math.Floor(y * SubOne + 0.5),
            InvD = w,
            Q0 = source.A0 * w,
        };
    }

    /// <summary>Box-filters the k×k samples of each pixel into straight intensity and coverage.</summary>
    private void Resolve(Span<float> intensity, Span<float> alpha)
    {
        int k = _k, w = _options.Width, h = _options.Height;
        float inv = 1f / (k * k);
        for (int py = 0; py < h; py++)
            for (int px = 0; px < w; px++)
            {
                int covered = 0;
                float sum = 0;
                for (int sy = 0; sy < k; sy++)
                {
                    int row = (py * k + sy) * _sw + px * k;
                    for (int sx = 0; sx < k; sx++)
                        if (_depth[row + sx] > 0)
                        {
                            covered++;
                            sum += _value[row + sx];
                        }
                }
                int at = py * w + px;
                alpha[at] = covered * inv;
                intensity[at] = covered == 0 ? 0 : Math.Clamp(sum / covered, 0f, 1f);
            }
    }
}
