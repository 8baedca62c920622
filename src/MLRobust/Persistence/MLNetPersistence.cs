// Saves/loads third-party (MLRobust) transformers through ML.NET's plain ml.Model.Save / ml.Model.Load.
// ML.NET 5.0.1 keeps everything a component needs for that internal (ModelSaveContext members, ModelLoadContext,
// VersionInfo, the loadable-class catalog), so this file reaches them by reflection, all resolved in one probe
// (EnsureSupported) that fails with a clear message if a member has moved. Supported range: Microsoft.ML [5.0.1,6).
#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLRobust.Persistence;

/// <summary>The bytes of one saved MLRobust component: named entries (e.g. "parameters.json", "weights.safetensors").</summary>
internal sealed class ComponentEntries
{
    internal ComponentEntries(string loaderSignature, uint version, IReadOnlyDictionary<string, byte[]> entries, string directory)
        => (LoaderSignature, Version, Entries, Directory) = (loaderSignature, version, entries, directory);

    public string LoaderSignature { get; }
    public uint Version { get; }
    public IReadOnlyDictionary<string, byte[]> Entries { get; }
    /// <summary>The component's folder in the model zip, for error messages.</summary>
    public string Directory { get; }
}

internal static class MLNetPersistence
{
    public const string SupportedRange = "[5.0.1,6)";
    public const int MaxEntries = 64, MaxNameBytes = 256, MaxSignatureLength = 24; // 24: ML.NET's header holds 24 chars
    public static readonly long MaxEntryLength = Array.MaxLength;                 // just under 2 GiB (one byte[])
    private const ulong Magic = 0x31504D4342524C4DUL, EndMagic = 0x444E454342524C4DUL; // "MLRBCMP1", "MLRBCEND"
    private const uint FormatVersion = 1;
    private const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static readonly Lazy<Members> s_members = new(Probe); // Lazy caches the exception too: probe once
    private static readonly ConditionalWeakTable<ComponentCatalog, Dictionary<string, Holder>> s_registry = new();

    public static void EnsureSupported() => _ = s_members.Value;

    public static void Save(ModelSaveContext ctx, string loaderSignature, uint version, Type loaderType, IReadOnlyDictionary<string, byte[]> entries)
    {
        ArgumentNullException.ThrowIfNull(ctx); ArgumentNullException.ThrowIfNull(loaderType); ArgumentNullException.ThrowIfNull(entries);
        CheckSignature(loaderSignature);
        ArgumentOutOfRangeException.ThrowIfZero(version);
        if (entries.Count > MaxEntries) throw new ArgumentException($"at most {MaxEntries} entries per component", nameof(entries));
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase); // ML.NET maps entry paths case-insensitively
        foreach (var (name, data) in entries)
        {
            if (!IsValidEntryName(name) || !seen.Add(name)) throw new ArgumentException($"invalid or duplicate entry name '{name}'", nameof(entries));
            ArgumentNullException.ThrowIfNull(data, $"entries['{name}']");
        }
        var m = s_members.Value;
        // The header needs ModelSignature != 0 (else "ModelSignature not specified!"), the loader signature ML.NET
        // dispatches on at load time, and the loader assembly's name, which ML.NET Assembly.Load()s before dispatching.
        // The simple name, not FullName: a full name pins AssemblyVersion, so a model saved by a newer MLRobust would fail
        // in Assembly.Load under an older one before our own (clearer) version check runs.
        Call(m.SetVersionInfo, ctx, NewVersionInfo(m, loaderSignature, version, loaderType));
        var w = (BinaryWriter)m.SaveWriter.GetValue(ctx)!; // the component's main stream (Model.key)
        var ordered = entries.OrderBy(e => e.Key, StringComparer.Ordinal).ToArray(); // deterministic bytes
        w.Write(Magic); w.Write(FormatVersion); WriteName(w, loaderSignature); w.Write(version); w.Write(ordered.Length);
        foreach (var (name, data) in ordered) { WriteName(w, name); w.Write((long)data.Length); w.Write(SHA256.HashData(data)); }
        w.Write(EndMagic);
        foreach (var (name, data) in ordered) // each entry becomes its own zip entry in the component's folder
            Call(m.SaveBinaryStream, ctx, name, (Action<BinaryWriter>)(bw => bw.Write(data)));
    }

    public static void RegisterLoader(ComponentCatalog catalog, string loaderSignature, uint maxVersion, Type loaderType,
        Func<IHostEnvironment, ComponentEntries, ITransformer> create)
    {
        ArgumentNullException.ThrowIfNull(catalog); ArgumentNullException.ThrowIfNull(loaderType); ArgumentNullException.ThrowIfNull(create);
        CheckSignature(loaderSignature);
        ArgumentOutOfRangeException.ThrowIfZero(maxVersion);
        var m = s_members.Value;
        var registration = new Registration(loaderSignature, maxVersion, loaderType, create);
        var perCatalog = s_registry.GetValue(catalog, _ => new(StringComparer.OrdinalIgnoreCase)); // catalog keys are lower-cased
        lock (perCatalog) // every access to perCatalog is under this lock
        {
            if (perCatalog.TryGetValue(loaderSignature, out var holder)) { holder.Current = registration; return; } // idempotent; last wins
            holder = new Holder(registration);
            // A fresh catalog is empty: ML.NET registers its assemblies lazily, when a model names them. Register the loaded
            // ML.NET assemblies now, so a clash with an ML.NET loader signature fails here instead of breaking a later Load.
            var mlToken = typeof(ComponentCatalog).Assembly.GetName().GetPublicKeyToken();
            foreach (var a in AppDomain.CurrentDomain.GetAssemblies())
                if (a.GetName() is { Name: { } n } an && n.StartsWith("Microsoft.ML", StringComparison.Ordinal)
                    && an.GetPublicKeyToken().AsSpan().SequenceEqual(mlToken))
                    catalog.RegisterAssembly(a);
            lock (m.CatalogLock.GetValue(catalog)!) // the lock ComponentCatalog.RegisterAssembly takes around AddClass
            {
                if (Call(m.GetLoadableClassInfo, catalog, loaderSignature, m.SignatureLoadModel) is { } other)
                    throw new InvalidOperationException($"Loader signature '{loaderSignature}' is already registered in this ML.NET catalog by " +
                        $"{m.InfoType.GetProperty("Type")?.GetValue(other)}; pick another loader signature.");
                var instanceType = typeof(ITransformer).IsAssignableFrom(loaderType) ? loaderType : typeof(ITransformer);
                // LoadableClassAttribute(instType, loaderType, argType: null, sigType: SignatureLoadModel, userName, loadNames)
                var attr = m.AttributeCtor.Invoke(
                    [instanceType, loaderType, null, m.SignatureLoadModel, loaderSignature, new[] { loaderSignature }]);
                // LoadableClassInfo(attr, getter: null, ctor: null, create, requireEnvironment: true) => create is invoked with (env, ctx)
                var info = m.InfoCtor.Invoke([attr, null, null, new BoundLoader(m.CreateShape, holder), true]);
                Call(m.AddClass, catalog, info, new[] { loaderSignature }, true);
            }
            perCatalog[loaderSignature] = holder;
        }
    }

    // Runs inside ml.Model.Load, once per component saved under a registered loader signature.
    private static ITransformer LoadComponent(IHostEnvironment env, object ctx, Holder holder)
    {
        var m = s_members.Value;
        var reg = holder.Current;
        var dir = (string?)m.LoadDirectory.GetValue(ctx) ?? "";
        var r = (BinaryReader)m.LoadReader.GetValue(ctx)!;
        InvalidDataException Bad(string what, Exception? inner = null) =>
            new($"MLRobust component '{dir}' (loader '{reg.Signature}'): {what}", inner);

        Call(m.CheckAtModel, ctx); // ML.NET's own check that the reader sits at the start of the model block
        string sig; uint version; (string Name, long Length, byte[] Hash)[] manifest;
        try
        {
            if (r.ReadUInt64() != Magic) throw Bad("the manifest is garbage (bad magic number)");
            var format = r.ReadUInt32();
            if (format != FormatVersion)
                throw Bad($"manifest format {format} is not supported (expected {FormatVersion}); was it written by a newer MLRobust?");
            sig = ReadName(r, MaxSignatureLength, Bad);
            version = r.ReadUInt32();
            var count = r.ReadInt32();
            if (count < 0 || count > MaxEntries) throw Bad($"the manifest is garbage (entry count {count}, allowed 0..{MaxEntries})");
            manifest = new (string, long, byte[])[count];
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < count; i++)
            {
                var name = ReadName(r, MaxNameBytes, Bad);
                if (!IsValidEntryName(name) || !names.Add(name)) throw Bad($"the manifest is garbage (invalid or duplicate entry name '{name}')");
                var length = r.ReadInt64();
                if (length < 0 || length > MaxEntryLength)
                    throw Bad($"the manifest is garbage (entry '{name}' length {length}, allowed 0..{MaxEntryLength})");
                manifest[i] = (name, length, r.ReadBytes(SHA256.HashSizeInBytes));
                if (manifest[i].Hash.Length != SHA256.HashSizeInBytes) throw new EndOfStreamException();
            }
            if (r.ReadUInt64() != EndMagic) throw Bad("the manifest is garbage (bad end marker)");
        }
        catch (EndOfStreamException e) { throw Bad("the manifest is truncated", e); }
        if (!string.Equals(sig, reg.Signature, StringComparison.OrdinalIgnoreCase))
            throw Bad($"the manifest names loader '{sig}', not '{reg.Signature}'");
        if (version == 0) throw Bad("the manifest is garbage (component version 0)");
        if (version > reg.MaxVersion)
            throw Bad($"component version {version} is newer than this build reads (max {reg.MaxVersion}); upgrade MLRobust to load this model");
        try { Call(m.CheckVersionInfo, ctx, NewVersionInfo(m, reg.Signature, reg.MaxVersion, reg.LoaderType)); }
        catch (FormatException e) { throw Bad($"the ML.NET header does not match the manifest: {e.Message}", e); }

        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, length, hash) in manifest)
        {
            byte[]? data = null; string? problem = null;
            var found = (bool)Call(m.TryLoadBinaryStream, ctx, name, (Action<BinaryReader>)(br =>
            {
                var s = br.BaseStream;
                if (s.CanSeek && s.Length - s.Position != length) // check before allocating what the manifest claims
                {
                    problem = $"entry '{name}' has {s.Length - s.Position} bytes, the manifest says {length}";
                    return;
                }
                data = new byte[length];
                if (s.ReadAtLeast(data, data.Length, throwOnEndOfStream: false) != length || s.ReadByte() != -1)
                    problem = $"entry '{name}' does not have the {length} bytes the manifest says";
            }))!;
            if (!found) throw Bad($"entry '{name}' is missing from the model file");
            if (problem != null) throw Bad(problem);
            if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(data!), hash))
                throw Bad($"entry '{name}' fails its SHA-256 check: the file was modified or is corrupt");
            entries.Add(name, data!);
        }
        // Exceptions from create propagate as they are (BoundLoader.Invoke does not wrap them).
        return reg.Create(env, new ComponentEntries(sig, version, entries.AsReadOnly(), dir))
            ?? throw new InvalidOperationException($"MLRobust component '{dir}' (loader '{reg.Signature}'): the loader returned null");
    }

    // ---- helpers ----
    private static void CheckSignature(string sig)
    {
        ArgumentException.ThrowIfNullOrEmpty(sig);
        if (sig.Length > MaxSignatureLength || !sig.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))
            throw new ArgumentException(
                $"loader signature '{sig}' must be 1..{MaxSignatureLength} ASCII letters, digits, '_' or '.'", "loaderSignature");
    }

    // Entry names become zip paths next to the component's Model.key; keep them plain file names.
    private static bool IsValidEntryName(string name) =>
        name.Length is > 0 and <= MaxNameBytes && !name.Contains("..") && !name.StartsWith('.')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')
        && !name.Equals("Model.key", StringComparison.OrdinalIgnoreCase) // ML.NET's own streams in that folder
        && !name.Equals("Model.bin", StringComparison.OrdinalIgnoreCase);

    private static void WriteName(BinaryWriter w, string s) { var b = Encoding.UTF8.GetBytes(s); w.Write(b.Length); w.Write(b); }

    private static string ReadName(BinaryReader r, int maxBytes, Func<string, Exception?, InvalidDataException> bad)
    {
        var n = r.ReadInt32();
        if (n < 1 || n > maxBytes) throw bad($"the manifest is garbage (string length {n}, allowed 1..{maxBytes})", null);
        var b = r.ReadBytes(n);
        if (b.Length != n) throw new EndOfStreamException();
        try { return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(b); }
        catch (DecoderFallbackException e) { throw bad("the manifest is garbage (invalid UTF-8)", e); }
    }

    // ML.NET's VersionInfo wants an 8-char model signature; derive it from the (case-insensitive) loader signature.
    private static object NewVersionInfo(Members m, string loaderSignature, uint version, Type loaderType)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        var h = SHA256.HashData(Encoding.UTF8.GetBytes("MLRobust/" + loaderSignature.ToLowerInvariant()));
        var modelSignature = new string(h.Take(8).Select(b => alphabet[b % alphabet.Length]).ToArray());
        // VersionInfo(modelSignature, verWrittenCur, verReadableCur, verWeCanReadBack, loaderAssemblyName, loaderSignature, loaderSignatureAlt)
        return m.VersionInfoCtor.Invoke([modelSignature, version, version, 1u, loaderType.Assembly.GetName().Name, loaderSignature, null]);
    }

    // Invoke without TargetInvocationException wrapping, so ML.NET's own exceptions surface as thrown.
    private static object? Call(MethodInfo method, object target, params object?[] args) =>
        method.Invoke(target, BindingFlags.DoNotWrapExceptions, null, args, null);

    private sealed record Registration(string Signature, uint MaxVersion, Type LoaderType,
        Func<IHostEnvironment, ComponentEntries, ITransformer> Create);
    private sealed class Holder(Registration current) { public volatile Registration Current = current; }

    // Only the parameter shape ML.NET's catalog expects of a loader (env, ModelLoadContext); BoundLoader replaces its Invoke.
    private static ITransformer CreateShape(IHostEnvironment env, object ctx) =>
        throw new NotSupportedException("invoked only through BoundLoader");

    // ML.NET calls LoadableClassInfo.CreateMethod.Invoke(null, [env, ctx]). A real MethodInfo would wrap every loader
    // exception in TargetInvocationException and could not tell registrations apart; this one calls LoadComponent directly.
    private sealed class BoundLoader(MethodInfo shape, Holder holder) : MethodInfo
    {
        public override object? Invoke(object? obj, BindingFlags flags, Binder? binder, object?[]? args, CultureInfo? culture)
            => LoadComponent((IHostEnvironment)args![0]!, args[1]!, holder);
        public override string Name => shape.Name;
        public override Type? DeclaringType => shape.DeclaringType;
        public override Type? ReflectedType => shape.ReflectedType;
        public override Type ReturnType => shape.ReturnType;
        public override MethodAttributes Attributes => shape.Attributes;
        public override RuntimeMethodHandle MethodHandle => shape.MethodHandle;
        public override ICustomAttributeProvider ReturnTypeCustomAttributes => shape.ReturnTypeCustomAttributes;
        public override MethodInfo GetBaseDefinition() => this;
        public override MethodImplAttributes GetMethodImplementationFlags() => shape.GetMethodImplementationFlags();
        public override ParameterInfo[] GetParameters() => shape.GetParameters();
        public override object[] GetCustomAttributes(bool inherit) => shape.GetCustomAttributes(inherit);
        public override object[] GetCustomAttributes(Type t, bool inherit) => shape.GetCustomAttributes(t, inherit);
        public override bool IsDefined(Type t, bool inherit) => shape.IsDefined(t, inherit);
    }

    private sealed record Members(
        MethodInfo SetVersionInfo, FieldInfo SaveWriter, MethodInfo SaveBinaryStream,
        FieldInfo LoadReader, FieldInfo LoadDirectory, MethodInfo CheckAtModel, MethodInfo CheckVersionInfo,
        MethodInfo TryLoadBinaryStream, ConstructorInfo VersionInfoCtor, Type SignatureLoadModel, ConstructorInfo AttributeCtor,
        Type InfoType, ConstructorInfo InfoCtor, MethodInfo AddClass, FieldInfo CatalogLock, MethodInfo GetLoadableClassInfo,
        MethodInfo CreateShape);

    private static Members Probe()
    {
        var core = typeof(ModelSaveContext).Assembly;
        var version = core.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? core.GetName().Version?.ToString();
        T Need<T>(T? member, string what) where T : class => member ?? throw new InvalidOperationException(
            $"MLRobust persistence supports Microsoft.ML {SupportedRange}, but the loaded Microsoft.ML ({core.GetName().Name} {version}) " +
            $"lacks the internal member {what} that saving/loading MLRobust components needs.");
        Type Internal(string name) => Need(core.GetType(name), name);
        var save = typeof(ModelSaveContext);
        var load = Internal("Microsoft.ML.ModelLoadContext");   // the ctx ML.NET hands a loader (internal class)
        var verInfo = Internal("Microsoft.ML.VersionInfo");     // argument of SetVersionInfo / CheckVersionInfo
        var info = Need(typeof(ComponentCatalog).GetNestedType("LoadableClassInfo", Any), "ComponentCatalog.LoadableClassInfo");
        var cat = typeof(ComponentCatalog);
        Type s = typeof(string), u = typeof(uint), t = typeof(Type), mi = typeof(MethodInfo);
        return new Members(
            // Save: the header must carry model signature, versions, loader signature and assembly (else "ModelSignature not
            // specified!"); Writer is the component's main stream (manifest); SaveBinaryStream adds a zip entry per blob.
            Need(save.GetMethod("SetVersionInfo", Any, [verInfo]), "ModelSaveContext.SetVersionInfo(VersionInfo)"),
            Need(save.GetField("Writer", Any), "ModelSaveContext.Writer"),
            Need(save.GetMethod("SaveBinaryStream", Any, [s, typeof(Action<BinaryWriter>)]), "ModelSaveContext.SaveBinaryStream(string, Action<BinaryWriter>)"),
            // Load: read the manifest, name the folder in errors, let ML.NET check position/header, read each zip entry.
            Need(load.GetField("Reader", Any), "ModelLoadContext.Reader"),
            Need(load.GetField("Directory", Any), "ModelLoadContext.Directory"),
            Need(load.GetMethod("CheckAtModel", Any, Type.EmptyTypes), "ModelLoadContext.CheckAtModel()"),
            Need(load.GetMethod("CheckVersionInfo", Any, [verInfo]), "ModelLoadContext.CheckVersionInfo(VersionInfo)"),
            Need(load.GetMethod("TryLoadBinaryStream", Any, [s, typeof(Action<BinaryReader>)]), "ModelLoadContext.TryLoadBinaryStream(string, Action<BinaryReader>)"),
            Need(verInfo.GetConstructor(Any, [s, u, u, u, s, s, s]), "VersionInfo(string, uint, uint, uint, string, string, string)"),
            // Registration: the catalog only learns loaders from internal [LoadableClass] assembly attributes, so build the
            // attribute and its LoadableClassInfo by hand, keyed by SignatureLoadModel (the key Model.Load looks up).
            Internal("Microsoft.ML.SignatureLoadModel"),
            Need(Internal("Microsoft.ML.LoadableClassAttribute").GetConstructor(Any, [t, t, t, t, s, typeof(string[])]),
                "LoadableClassAttribute(Type, Type, Type, Type, string, string[])"),
            info,
            Need(info.GetConstructor(Any, [Internal("Microsoft.ML.LoadableClassAttributeBase"), mi, typeof(ConstructorInfo), mi, typeof(bool)]),
                "LoadableClassInfo(LoadableClassAttributeBase, MethodInfo, ConstructorInfo, MethodInfo, bool)"),
            Need(cat.GetMethod("AddClass", Any, [info, typeof(string[]), typeof(bool)]), "ComponentCatalog.AddClass(LoadableClassInfo, string[], bool)"),
            Need(cat.GetField("_lock", Any), "ComponentCatalog._lock"), // AddClass itself is unsynchronized
            Need(cat.GetMethod("GetLoadableClassInfo", Any, [s, t]), "ComponentCatalog.GetLoadableClassInfo(string, Type)"), // clash check
            Need(typeof(MLNetPersistence).GetMethod(nameof(CreateShape), Any), nameof(CreateShape)));
    }
}
