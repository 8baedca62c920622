namespace MLRobust.ML;

/// <summary>The two halves of a train/test split.</summary>
public readonly struct TrainTestData
{
    public readonly IDataView TrainSet;
    public readonly IDataView TestSet;

    public TrainTestData(IDataView trainSet, IDataView testSet)
    {
        TrainSet = trainSet ?? throw new ArgumentNullException(nameof(trainSet));
        TestSet = testSet ?? throw new ArgumentNullException(nameof(testSet));
    }
}
