namespace MLRobust.Rendering.Scenes;

/// <summary>The column names of synthetic-scene data views.</summary>
public static class SceneColumns
{
    /// <summary>The render composited over its background: Vector&lt;Single, 1, S, S&gt;, values in [0, 1].</summary>
    public const string Image = "Image";

    /// <summary>The render over black (intensity·alpha): Vector&lt;Single, 1, S, S&gt;.</summary>
    public const string CleanImage = "CleanImage";

    /// <summary>The render's coverage: Vector&lt;Single, 1, S, S&gt;, 0 for background rows.</summary>
    public const string Alpha = "Alpha";

    /// <summary>Key&lt;UInt32&gt; over the model names then "None", with KeyValues.</summary>
    public const string Label = "Label";

    /// <summary>Vector&lt;Single, 3&gt;: rx, ry, rz + 0.5 (the paper's targets); zeros for None rows.</summary>
    public const string Parameters = "Parameters";

    /// <summary>The label of background-only rows.</summary>
    public const string NoneLabel = "None";
}
