namespace MLRobust.ML.Data;

/// <summary>File formats <see cref="MLImage.Save"/> writes.</summary>
public enum MLImageEncodedFormat
{
    Png,
    Jpeg,
}
