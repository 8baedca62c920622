namespace MLRobust.Torch;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>torch.optim.lr_scheduler: learning-rate schedules, stepped once per epoch (or
        /// per iteration, as the caller chooses) after optimizer.step().</summary>
        public static partial class lr_scheduler
        {
            /// <summary>Base of the schedulers, as PyTorch's (chainable form): creating a scheduler
            /// records each group's initial_lr and takes step 0; each step() advances last_epoch and
            /// sets every group's learning rate from get_lr().</summary>
            public abstract class LRScheduler
            {
                private double[] _lastLr = Array.Empty<double>();

                private protected LRScheduler(Optimizer optimizer)
                {
                    this.optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
                    foreach (var g in optimizer.param_groups)
                        if (double.IsNaN(g.InitialLearningRate)) g.InitialLearningRate = g.LearningRate;
                    base_lrs = optimizer.param_groups.Select(g => g.InitialLearningRate).ToArray();
                }

                public Optimizer optimizer { get; }

                /// <summary>Each group's initial learning rate.</summary>
                public IReadOnlyList<double> base_lrs { get; }

                /// <summary>The number of steps taken (0 after construction).</summary>
                public int last_epoch { get; private set; } = -1;

                /// <summary>How many times step() has run, the construction step included.</summary>
                private protected int StepCount { get; private set; }

                /// <summary>Subclasses call this at the end of their constructor (PyTorch's _initial_step).</summary>
                private protected void InitialStep() => step();

                /// <summary>Advances the schedule by one epoch (or iteration) and sets the groups' learning rates.</summary>
                public virtual void step()
                {
                    StepCount++;
                    last_epoch++;
                    var lrs = get_lr();
                    var groups = optimizer.param_groups;
                    if (lrs.Count != groups.Count) throw new InvalidOperationException($"{GetType().Name}: get_lr returned {lrs.Count} rates for {groups.Count} groups");
                    for (var k = 0; k < groups.Count; k++) groups[k].LearningRate = lrs[k];
                    _lastLr = groups.Select(g => g.LearningRate).ToArray();
                }

                /// <summary>The learning rates set by the last step, one per group.</summary>
                public IReadOnlyList<double> get_last_lr() => _lastLr;

                /// <summary>The learning rates for the current last_epoch, computed from the groups'
                /// current rates (PyTorch's chainable form).</summary>
                protected abstract IReadOnlyList<double> get_lr();

                private protected IReadOnlyList<double> CurrentRates() => optimizer.param_groups.Select(g => g.LearningRate).ToArray();
            }
        }
    }
}
