namespace MLRobust.ML;

/// <summary>Computes a row's value once even when its getter is called several times for the same row
/// (expensive values such as decoded or resized images).</summary>
internal sealed class RowMemo<T>
{
    private readonly DataViewRow _row;
    private readonly Func<T> _compute;
    private long _position = -1;
    private T _value = default!;

    internal RowMemo(DataViewRow row, Func<T> compute)
    {
        _row = row;
        _compute = compute;
    }

    internal T Get()
    {
        var position = _row.Position;
        if (position < 0) throw new InvalidOperationException("The cursor is not on a row.");
        if (position != _position)
        {
            _value = _compute();
            _position = position;
        }
        return _value;
    }
}
