namespace MLRobust.ML;

/// <summary>Fisher-Yates permutations.</summary>
internal static class Permutation
{
    internal static int[] Create(int count, Random rand)
    {
        var order = new int[count];
        for (var i = 0; i < count; i++) order[i] = i;
        for (var i = count - 1; i > 0; i--)
        {
            var j = rand.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
