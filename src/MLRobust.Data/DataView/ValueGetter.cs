namespace MLRobust.ML;

/// <summary>Reads the current row's value of one column into <paramref name="value"/> (whose buffers it may reuse).</summary>
public delegate void ValueGetter<TValue>(ref TValue value);
