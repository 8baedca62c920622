namespace MLRobust.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>A module with one input: subclasses implement forward, callers use call.</summary>
        public abstract class Module<T, TResult> : Module
        {
            protected Module(string name) : base(name) { }

            public abstract TResult forward(T input);

            /// <summary>Runs the module (forward).</summary>
            public virtual TResult call(T input) => forward(input);
        }

        /// <summary>A module with two inputs.</summary>
        public abstract class Module<T1, T2, TResult> : Module
        {
            protected Module(string name) : base(name) { }

            public abstract TResult forward(T1 input1, T2 input2);

            public virtual TResult call(T1 input1, T2 input2) => forward(input1, input2);
        }

        /// <summary>A module with three inputs.</summary>
        public abstract class Module<T1, T2, T3, TResult> : Module
        {
            protected Module(string name) : base(name) { }

            public abstract TResult forward(T1 input1, T2 input2, T3 input3);

            public virtual TResult call(T1 input1, T2 input2, T3 input3) => forward(input1, input2, input3);
        }
    }
}
