using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLRobust.Rendering.DataViews;

/// <summary>
/// What an extension method on an ML.NET catalog needs from the context behind it: its environment
/// (seeds, logging, the component catalog) and its GPU settings and cancellation. ML.NET hands these to its own
/// extensions through internal members (IInternalCatalog.Environment, IHostEnvironmentInternal, ICancelable),
/// so they are read here by reflection, probed once with a message that names the ML.NET version.
/// </summary>
internal static class CatalogEnvironment
{
    private static readonly Lazy<Members> Reflected = new(Members.Probe);

    /// <summary>The environment of the MLContext that owns <paramref name="catalog"/> (any of ml.Data, ml.Transforms, ...Trainers).</summary>
    public static IHostEnvironment Of(object catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (catalog is IHostEnvironment env) return env;
        var property = Reflected.Value.EnvironmentOf(catalog.GetType())
            ?? throw new ArgumentException($"{catalog.GetType().FullName} is not an ML.NET catalog (it has no environment).", nameof(catalog));
        return (IHostEnvironment)(property.GetValue(catalog) ?? throw new InvalidOperationException($"{catalog.GetType().Name} has no environment."));
    }

    /// <summary>The next seed from the context's random sequence, so <c>new MLContext(seed: 1)</c> repeats itself.</summary>
    public static int NextSeed(IHostEnvironment env) => env.Register("MLRobust").Rand.Next();

    /// <summary>MLContext.GpuDeviceId as the context was set when this is called.</summary>
    public static int? GpuDeviceId(IHostEnvironment env) => (int?)Reflected.Value.Setting(env, "GpuDeviceId");

    /// <summary>MLContext.FallbackToCpu.</summary>
    public static bool FallbackToCpu(IHostEnvironment env) => Reflected.Value.Setting(env, "FallbackToCpu") is true;

    /// <summary>Throws <see cref="OperationCanceledException"/> once the context's execution was cancelled.</summary>
    public static void CheckAlive(IHostEnvironment env)
    {
        if (Reflected.Value.IsCanceled(env)) throw new OperationCanceledException("Operation was canceled.");
    }

    private sealed class Members
    {
        private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        private readonly Type _internalCatalog;
        private readonly Type _internalEnvironment;
        private readonly Type _cancelable;

        private Members(Type internalCatalog, Type internalEnvironment, Type cancelable)
        {
            _internalCatalog = internalCatalog;
            _internalEnvironment = internalEnvironment;
            _cancelable = cancelable;
        }

        public static Members Probe()
        {
            var data = typeof(MLContext).Assembly;
            var core = typeof(IHostEnvironment).Assembly;
            var catalog = data.GetType("Microsoft.ML.Data.IInternalCatalog");
            var environment = core.GetType("Microsoft.ML.Runtime.IHostEnvironmentInternal");
            var cancelable = core.GetType("Microsoft.ML.Runtime.ICancelable");
            string? missing = catalog?.GetProperty("Environment") is null ? "Microsoft.ML.Data.IInternalCatalog.Environment"
                : environment?.GetProperty("GpuDeviceId") is null || environment.GetProperty("FallbackToCpu") is null ? "Microsoft.ML.Runtime.IHostEnvironmentInternal.GpuDeviceId/FallbackToCpu"
                : cancelable?.GetProperty("IsCanceled") is null ? "Microsoft.ML.Runtime.ICancelable.IsCanceled"
                : null;
            if (missing is not null)
                throw new InvalidOperationException(
                    $"MLRobust supports Microsoft.ML [5.0.1,6) and cannot find '{missing}' in the loaded Microsoft.ML {data.GetName().Version}; use a Microsoft.ML version in that range.");
            return new Members(catalog!, environment!, cancelable!);
        }

        public PropertyInfo? EnvironmentOf(Type catalogType) =>
            _internalCatalog.IsAssignableFrom(catalogType) ? _internalCatalog.GetProperty("Environment") : null;

        public object? Setting(IHostEnvironment env, string name) =>
            _internalEnvironment.IsInstanceOfType(env) ? _internalEnvironment.GetProperty(name)!.GetValue(env) : null;

        public bool IsCanceled(IHostEnvironment env) =>
            _cancelable.IsInstanceOfType(env) && _cancelable.GetProperty("IsCanceled")!.GetValue(env) is true;
    }
}
