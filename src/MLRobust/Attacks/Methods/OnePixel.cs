using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>Options of <see cref="OnePixel"/>.</summary>
public sealed class OnePixelOptions : AttackOptions
{
    /// <summary>Pixels the attack may change; default 1.</summary>
    public int Pixels = 1;

    /// <summary>Candidates per sample; default 400.</summary>
    public int Population = 400;

    /// <summary>Generations before giving up; default 100.</summary>
    public int Generations = 100;

    /// <summary>Differential weight F; default 0.5.</summary>
    public double DifferentialWeight = 0.5;

    /// <summary>Images evaluated per forward pass; default 1024.</summary>
    public int FitnessBatchSize = 1024;

    internal override void Validate()
    {
        base.Validate();
        AtLeast(Pixels, 1, nameof(Pixels));
        AtLeast(Population, 4, nameof(Population));
        AtLeast(Generations, 0, nameof(Generations));
        Positive(DifferentialWeight, nameof(DifferentialWeight));
        AtLeast(FitnessBatchSize, 1, nameof(FitnessBatchSize));
    }
}

/// <summary>
/// One-pixel attack (Su et al.; PAPERS.md §5): differential evolution (DE/rand/1, no crossover, as the paper)
/// over candidates (row, column, value per channel) × pixels. Positions start uniform, values Gaussian around
/// the middle of the range (σ half the width, clipped). Fitness is the model's loss (towards the target, or
/// away from the label), evaluated for every candidate of every active sample in batches of
/// <see cref="OnePixelOptions.FitnessBatchSize"/> images. A child replaces its parent when it is at least as
/// fit. A sample stops at the first generation with a candidate that meets its goal (Steps = that generation,
/// 0 for the initial population) and returns that candidate; otherwise the fittest after the last generation.
/// </summary>
public sealed class OnePixel : Attack
{
    public OnePixel(IAttackTarget model, OnePixelOptions? options = null) : base(model, options ?? new OnePixelOptions()) { }

    public override string Name => "one-pixel";

    private new OnePixelOptions Options => (OnePixelOptions)base.Options;

    private protected override Tensor RunCore(AttackBatch batch, int[] steps)
    {
        var n = batch.Count;
        var shape = batch.Images.shape;
        var (channels, height, width) = ((int)shape[1], (int)shape[2], (int)shape[3]);
        var range = batch.Range;
        var pop = Options.Population;
        var genes = Options.Pixels * (2 + channels);
        var rngs = Enumerable.Range(0, n).Select(i => batch.Random(i, stream: 7)).ToArray();
        var population = new float[n][];
        var fitness = new double[n][];
        var upper = new double[genes];
        var lowerBound = new double[genes];
        for (var p = 0; p < Options.Pixels; p++)
        {
            var o = p * (2 + channels);
            upper[o] = height - 1e-3;
            upper[o + 1] = width - 1e-3;
            for (var c = 0; c < channels; c++)
            {
                lowerBound[o + 2 + c] = range.Min;
                upper[o + 2 + c] = range.Max;
            }
        }
        for (var i = 0; i < n; i++)
        {
            var rng = rngs[i];
            var genome = population[i] = new float[pop * genes];
            for (var k = 0; k < pop; k++)
                for (var p = 0; p < Options.Pixels; p++)
                {
                    var o = k * genes + p * (2 + channels);
                    genome[o] = (float)(rng.NextDouble() * height);
                    genome[o + 1] = (float)(rng.NextDouble() * width);
                    for (var c = 0; c < channels; c++)
                        genome[o + 2 + c] = (float)Math.Clamp(range.Min + range.Width * (0.5 + 0.5 * rng.NextGaussian()), range.Min, range.Max);
                }
        }

        var result = batch.Images.clone();
        var active = Enumerable.Range(0, n).ToList();
        // Initial population.
        var (fit, met) = Evaluate(batch, active, population, genes, channels);
        for (var k = 0; k < active.Count; k++) fitness[active[k]] = fit[k];
        active = Finish(batch, active, population, fitness, met, genes, channels, result, steps, generation: 0, last: Options.Generations == 0);

        for (var g = 1; g <= Options.Generations && active.Count > 0; g++)
        {
            var trials = new float[n][];
            foreach (var i in active)
            {
                var rng = rngs[i];
                var parent = population[i];
                var trial = trials[i] = new float[pop * genes];
                for (var k = 0; k < pop; k++)
                {
                    int r1, r2, r3;
                    do r1 = rng.NextInt(pop); while (r1 == k);
                    do r2 = rng.NextInt(pop); while (r2 == k || r2 == r1);
                    do r3 = rng.NextInt(pop); while (r3 == k || r3 == r1 || r3 == r2);
                    for (var e = 0; e < genes; e++)
                    {
                        var v = parent[r1 * genes + e] + Options.DifferentialWeight * (parent[r2 * genes + e] - parent[r3 * genes + e]);
                        trial[k * genes + e] = (float)Math.Clamp(v, lowerBound[e], upper[e]);
                    }
                }
            }
            var (trialFit, trialMet) = Evaluate(batch, active, trials, genes, channels);
            var anyMet = new bool[active.Count][];
            for (var a = 0; a < active.Count; a++)
            {
                var i = active[a];
                anyMet[a] = new bool[pop];
                for (var k = 0; k < pop; k++)
                {
                    if (trialFit[a][k] > fitness[i][k]) continue;
                    fitness[i][k] = trialFit[a][k];
                    Array.Copy(trials[i], k * genes, population[i], k * genes, genes);
                    anyMet[a][k] = trialMet[a][k];
                }
            }
            active = Finish(batch, active, population, fitness, anyMet, genes, channels, result, steps, g, last: g == Options.Generations);
        }
        return result;
    }

    /// <summary>Writes the result of samples that met their goal (or, on the last generation, of all) and
    /// returns the samples still searching.</summary>
    private List<int> Finish(AttackBatch batch, List<int> active, float[][] population, double[][] fitness, bool[][] met, int genes, int channels,
        Tensor result, int[] steps, int generation, bool last)
    {
        var still = new List<int>();
        for (var a = 0; a < active.Count; a++)
        {
            var i = active[a];
            var winner = Array.IndexOf(met[a], true);
            if (winner < 0 && !last)
            {
                still.Add(i);
                continue;
            }
            if (winner < 0)
            {
                winner = 0;
                for (var k = 1; k < fitness[i].Length; k++) if (fitness[i][k] < fitness[i][winner]) winner = k;
            }
            steps[i] = generation;
            using var scope = NewDisposeScope();
            var image = batch.Images.narrow(0, i, 1).clone();
            Apply(image, population[i].AsSpan(winner * genes, genes), channels, new long[] { 0 });
            result.narrow(0, i, 1).copy_(image);
        }
        return still;
    }

    /// <summary>Fitness (lower is better) and goal flags of every candidate of every active sample.</summary>
    private (double[][] Fitness, bool[][] Met) Evaluate(AttackBatch batch, List<int> active, float[][] population, int genes, int channels)
    {
        var pop = Options.Population;
        var total = (long)active.Count * pop;
        var fitness = new double[total];
        var met = new bool[total];
        var chunk = Options.FitnessBatchSize;
        for (long start = 0; start < total; start += chunk)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var count = (int)Math.Min(chunk, total - start);
            var sampleOf = new long[count];
            var genesOf = new float[count * genes];
            for (var j = 0; j < count; j++)
            {
                var flat = start + j;
                var i = active[(int)(flat / pop)];
                sampleOf[j] = i;
                Array.Copy(population[i], (flat % pop) * genes, genesOf, j * genes, genes);
            }
            var rows = tensor(sampleOf, device: batch.Images.device);
            var images = batch.Images.index_select(0, rows);
            var local = Enumerable.Range(0, count).Select(j => (long)j).ToArray();
            ApplyMany(images, genesOf, genes, channels, local);
            var outputs = batch.Model.Forward(images);
            var goals = batch.GoalLabels.index_select(0, rows);
            var loss = batch.Model.Loss(outputs, goals);
            if (!batch.Targeted) loss = loss.neg();
            var predictions = batch.Model.Evidence(outputs).argmax(1);
            loss.to_type(ScalarType.Float64).cpu().data<double>().CopyTo(fitness.AsSpan((int)start, count));
            batch.Meets(predictions, goals).cpu().data<bool>().CopyTo(met.AsSpan((int)start, count));
        }
        var fit = new double[active.Count][];
        var flags = new bool[active.Count][];
        for (var a = 0; a < active.Count; a++)
        {
            fit[a] = fitness.AsSpan(a * pop, pop).ToArray();
            flags[a] = met.AsSpan(a * pop, pop).ToArray();
        }
        return (fit, flags);
    }

    private static void Apply(Tensor images, ReadOnlySpan<float> genome, int channels, long[] rows) =>
        ApplyMany(images, genome.ToArray(), genome.Length, channels, rows);

    /// <summary>Sets the candidates' pixels: image rows[j] gets the genome at j.</summary>
    private static void ApplyMany(Tensor images, float[] genomes, int genes, int channels, long[] rows)
    {
        var pixels = genes / (2 + channels);
        var count = rows.Length * pixels * channels;
        var n = new long[count];
        var c = new long[count];
        var y = new long[count];
        var x = new long[count];
        var values = new float[count];
        var k = 0;
        for (var j = 0; j < rows.Length; j++)
            for (var p = 0; p < pixels; p++)
            {
                var o = j * genes + p * (2 + channels);
                for (var ch = 0; ch < channels; ch++)
                {
                    n[k] = rows[j];
                    c[k] = ch;
                    y[k] = (long)genomes[o];
                    x[k] = (long)genomes[o + 1];
                    values[k] = genomes[o + 2 + ch];
                    k++;
                }
            }
        var device = images.device;
        using var scope = NewDisposeScope();
        images.index_put_(tensor(values, device: device), tensor(n, device: device), tensor(c, device: device), tensor(y, device: device), tensor(x, device: device));
    }
}
