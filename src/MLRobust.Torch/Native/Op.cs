using System.Runtime.InteropServices;
using System.Text;
using static MLRobust.Torch.torch;

namespace MLRobust.Torch.Native;

/// <summary>An ATen operator reached through the dispatcher, looked up once by schema name and
/// overload (see artifacts/aten-schemas-*.txt or torch._C._jit_get_all_schemas()). Arguments are
/// pushed in schema order; trailing ones left out, and ones given as <see cref="OpCall.Default"/>,
/// take the schema's defaults.</summary>
internal sealed class Op
{
    private readonly string _name;
    private readonly string _overload;
    private IntPtr _handle;

    internal Op(string name, string overload = "")
    {
        _name = name;
        _overload = overload;
    }

    internal string FullName => _overload.Length == 0 ? _name : $"{_name}.{_overload}";

    internal IntPtr Handle
    {
        get
        {
            if (_handle == IntPtr.Zero)
            {
                NativeLibraryLoader.EnsureLoaded();
                _handle = NativeErrors.CheckHandle(NativeMethods.mlr_op_find(_name, _overload), $"looking up {FullName}");
            }
            return _handle;
        }
    }

    internal string Schema => Marshal.PtrToStringUTF8(NativeErrors.CheckHandle(NativeMethods.mlr_op_schema(Handle), FullName)) ?? "";

    /// <summary>Starts a call on this thread's reusable frame.</summary>
    internal OpCall Begin() => OpCall.Start(this);
}

/// <summary>The argument frame of one operator call. One per thread, reused, backed by pinned
/// arrays so a call allocates nothing but its results. Not reentrant: finish a call before
/// starting another on the same thread.</summary>
internal sealed unsafe class OpCall
{
    private const int MaxArgs = 48;
    private const int MaxOutputs = 64;
    private const int ArenaSize = 8192;

    [ThreadStatic] private static OpCall? t_frame;

    private readonly NativeArg[] _args = GC.AllocateArray<NativeArg>(MaxArgs, pinned: true);
    private readonly NativeArg[] _outs = GC.AllocateArray<NativeArg>(MaxOutputs, pinned: true);
    private readonly long[] _longs = GC.AllocateArray<long>(ArenaSize, pinned: true);
    private readonly double[] _doubles = GC.AllocateArray<double>(256, pinned: true);
    private readonly IntPtr[] _handles = GC.AllocateArray<IntPtr>(ArenaSize, pinned: true);
    private readonly byte[] _bytes = GC.AllocateArray<byte>(4096, pinned: true);
    private readonly List<object> _keepAlive = new();
    private Op _op = null!;
    private int _count, _longCount, _doubleCount, _handleCount, _byteCount;

    internal static OpCall Start(Op op)
    {
        var frame = t_frame ??= new OpCall();
        frame._op = op;
        frame._count = frame._longCount = frame._doubleCount = frame._handleCount = frame._byteCount = 0;
        frame._keepAlive.Clear();
        return frame;
    }

    private ref NativeArg Next()
    {
        if (_count == MaxArgs) throw new ArgumentException($"{_op.FullName}: too many arguments");
        ref var a = ref _args[_count++];
        a = default;
        return ref a;
    }

    internal OpCall T(Tensor? t)
    {
        ref var a = ref Next();
        if (t is null) { a.Kind = ArgKind.None; return this; }
        a.Kind = ArgKind.Tensor;
        a.P = t.Handle;
        _keepAlive.Add(t);
        return this;
    }

    internal OpCall I(long v) { ref var a = ref Next(); a.Kind = ArgKind.Int; a.I = v; return this; }
    internal OpCall I(long? v) => v.HasValue ? I(v.Value) : None();
    internal OpCall D(double v) { ref var a = ref Next(); a.Kind = ArgKind.Double; a.D = v; return this; }
    internal OpCall D(double? v) => v.HasValue ? D(v.Value) : None();
    internal OpCall B(bool v) { ref var a = ref Next(); a.Kind = ArgKind.Bool; a.I = v ? 1 : 0; return this; }
    internal OpCall B(bool? v) => v.HasValue ? B(v.Value) : None();
    internal OpCall None() { ref var a = ref Next(); a.Kind = ArgKind.None; return this; }
    internal OpCall Default() { ref var a = ref Next(); a.Kind = ArgKind.Default; return this; }

    internal OpCall S(Scalar s)
    {
        ref var a = ref Next();
        switch (s.Kind)
        {
            case ScalarKind.Integer: a.Kind = ArgKind.Int; a.I = s.IntegerValue; break;
            case ScalarKind.Boolean: a.Kind = ArgKind.Bool; a.I = s.IntegerValue; break;
            default: a.Kind = ArgKind.Double; a.D = s.FloatValue; break;
        }
        return this;
    }

    internal OpCall S(Scalar? s) => s.HasValue ? S(s.Value) : None();

    internal OpCall Dtype(ScalarType? t) => t.HasValue ? I((long)t.Value) : None();

    internal OpCall Dev(Device? d)
    {
        if (d is null) return None();
        ref var a = ref Next();
        a.Kind = ArgKind.Device;
        a.I = (long)d.type;
        a.Length = d.index;
        return this;
    }

    internal OpCall Ints(ReadOnlySpan<long> values)
    {
        if (_longCount + values.Length > ArenaSize) throw new ArgumentException($"{_op.FullName}: integer list too long");
        values.CopyTo(_longs.AsSpan(_longCount));
        ref var a = ref Next();
        a.Kind = ArgKind.IntList;
        a.Length = values.Length;
        a.P = (IntPtr)Unsafe.AsPointer(ref _longs[_longCount]);
        _longCount += values.Length;
        return this;
    }

    internal OpCall Ints(long[]? values) => values is null ? None() : Ints((ReadOnlySpan<long>)values);
    internal OpCall Ints(long a) => Ints(stackalloc long[] { a });
    internal OpCall Ints(long a, long b) => Ints(stackalloc long[] { a, b });

    internal OpCall Doubles(ReadOnlySpan<double> values)
    {
        if (_doubleCount + values.Length > _doubles.Length) throw new ArgumentException($"{_op.FullName}: float list too long");
        values.CopyTo(_doubles.AsSpan(_doubleCount));
        ref var a = ref Next();
        a.Kind = ArgKind.DoubleList;
        a.Length = values.Length;
        a.P = (IntPtr)Unsafe.AsPointer(ref _doubles[_doubleCount]);
        _doubleCount += values.Length;
        return this;
    }

    internal OpCall Doubles(double[]? values) => values is null ? None() : Doubles((ReadOnlySpan<double>)values);

    internal OpCall Bools(ReadOnlySpan<bool> values)
    {
        if (_byteCount + values.Length > _bytes.Length) throw new ArgumentException($"{_op.FullName}: bool list too long");
        for (var k = 0; k < values.Length; k++) _bytes[_byteCount + k] = values[k] ? (byte)1 : (byte)0;
        ref var a = ref Next();
        a.Kind = ArgKind.BoolList;
        a.Length = values.Length;
        a.P = (IntPtr)Unsafe.AsPointer(ref _bytes[_byteCount]);
        _byteCount += values.Length;
        return this;
    }

    internal OpCall Tensors(IReadOnlyList<Tensor> tensors) => TensorList(tensors, ArgKind.TensorList);

    /// <summary>A list of optional tensors (<c>Tensor?[]</c>, as aten::index takes).</summary>
    internal OpCall OptionalTensors(IReadOnlyList<Tensor?> tensors) => TensorList(tensors, ArgKind.OptionalTensorList);

    private OpCall TensorList(IReadOnlyList<Tensor?> tensors, ArgKind kind)
    {
        if (_handleCount + tensors.Count > ArenaSize) throw new ArgumentException($"{_op.FullName}: tensor list too long");
        var start = _handleCount;
        for (var k = 0; k < tensors.Count; k++)
        {
            var t = tensors[k];
            if (t is null && kind == ArgKind.TensorList) throw new ArgumentNullException($"{_op.FullName}: null tensor in list at position {k}");
            _handles[_handleCount++] = t is null ? IntPtr.Zero : t.Handle;
            if (t is not null) _keepAlive.Add(t);
        }
        ref var a = ref Next();
        a.Kind = kind;
        a.Length = tensors.Count;
        a.P = (IntPtr)Unsafe.AsPointer(ref _handles[start]);
        return this;
    }

    internal OpCall Str(string value)
    {
        var encoded = Encoding.UTF8.GetByteCount(value);
        if (_byteCount + encoded + 1 > _bytes.Length) throw new ArgumentException($"{_op.FullName}: string too long");
        Encoding.UTF8.GetBytes(value, _bytes.AsSpan(_byteCount));
        _bytes[_byteCount + encoded] = 0;
        ref var a = ref Next();
        a.Kind = ArgKind.String;
        a.P = (IntPtr)Unsafe.AsPointer(ref _bytes[_byteCount]);
        _byteCount += encoded + 1;
        return this;
    }

    internal OpCall Str(string? value, bool _ = false) => value is null ? None() : Str(value);

    private int Invoke()
    {
        var op = _op;
        int n;
        fixed (NativeArg* args = _args)
        fixed (NativeArg* outs = _outs)
        {
            n = NativeMethods.mlr_op_call(op.Handle, args, _count, outs, MaxOutputs);
        }
        GC.KeepAlive(_keepAlive);
        _keepAlive.Clear();
        if (n < 0) NativeErrors.Throw(op.FullName);
        return n;
    }

    /// <summary>Runs the call and returns its single tensor result.</summary>
    internal Tensor ToTensor()
    {
        var n = Invoke();
        if (n < 1 || _outs[0].Kind != ArgKind.Tensor)
        {
            FreeOutputs(0, n);
            throw new TorchException($"{_op.FullName} returned no tensor") { Operation = _op.FullName };
        }
        FreeOutputs(1, n);
        return new Tensor(_outs[0].P);
    }

    /// <summary>Runs the call and returns its tensor results (tuples and lists flattened).</summary>
    internal Tensor[] ToTensors()
    {
        var n = Invoke();
        var result = new Tensor[n];
        for (var k = 0; k < n; k++)
        {
            if (_outs[k].Kind != ArgKind.Tensor)
            {
                for (var j = 0; j < k; j++) result[j].Dispose();
                FreeOutputs(k, n);
                throw new TorchException($"{_op.FullName}: result {k} is not a tensor") { Operation = _op.FullName };
            }
            result[k] = new Tensor(_outs[k].P);
        }
        return result;
    }

    internal (Tensor, Tensor) ToTensor2()
    {
        var r = ToTensors();
        if (r.Length != 2)
        {
            foreach (var t in r) t.Dispose();
            throw new TorchException($"{_op.FullName}: expected 2 results, got {r.Length}") { Operation = _op.FullName };
        }
        return (r[0], r[1]);
    }

    /// <summary>Runs the call for its side effect (in-place ops), releasing any returned handles.</summary>
    internal void Run()
    {
        var n = Invoke();
        FreeOutputs(0, n);
    }

    internal long ToLong()
    {
        var n = Invoke();
        var v = _outs[0];
        FreeOutputs(0, n);
        return v.Kind is ArgKind.Int or ArgKind.Bool ? v.I : throw new TorchException($"{_op.FullName}: expected an integer result");
    }

    private void FreeOutputs(int from, int to)
    {
        for (var k = from; k < to; k++)
            if (_outs[k].Kind == ArgKind.Tensor && _outs[k].P != IntPtr.Zero) NativeMethods.mlr_tensor_free(_outs[k].P);
    }
}
