namespace MLRobust.Training;

/// <summary>Which rows a batch stream draws from.</summary>
public enum SampleFilter
{
    /// <summary>Every row, None rows included.</summary>
    All,

    /// <summary>Rows that show an object (class other than None): stages 1 and 2.</summary>
    Objects,
}
