using MLRobust.Experiments;
using Xunit;

namespace MLRobust.Tests;

public class ReproductionGoalsTests
{
    private static CleanErrorRow Row(string model, double? theta, double error) => new(model, theta, error, double.NaN, []);

    private static AttackSummaryRow Attack(string model, string experiment, int samples, double medianSteps) =>
        new(model, experiment, samples, 1, medianSteps, double.NaN, double.NaN, 200);

    [Fact]
    public void EachGoalIsJudgedFromTheRunsNumbers()
    {
        var clean = new[] { Row("direct", null, 1.5), Row("direct+params", null, 2.5), Row("triple-staged", 0.2, 8), Row("triple-staged", 0.45, 4.75), Row("triple-staged", 0.7, 9) };
        var attacks = new[]
        {
            Attack("direct", "object → other object", 100, 10), Attack("triple-staged Θ=0.45", "object → other object", 100, 31),
            Attack("direct", "object → None", 100, 6), Attack("triple-staged Θ=0.45", "object → None", 100, 24),
        };
        var result = new ReproductionResult(ReproductionScale.Small, 64, 10, 10, ["a", "None"], clean, attacks, null!, [], [], TimeSpan.FromMinutes(13.5));
        var goals = ReproductionGoals.Check(result, 0.45).ToDictionary(g => g.Key);

        Assert.True(goals["clean-error-direct"].Met);
        Assert.False(goals["clean-error-direct-params"].Met);              // 2.5% > 2%
        Assert.True(goals["clean-error-triple-staged"].Met);                // 4.75% at Θ = 0.45
        Assert.Equal(4.75, goals["clean-error-triple-staged"].Value);
        Assert.True(goals["best-threshold"].Met);
        Assert.Equal(0.45, goals["best-threshold"].Value);
        Assert.Equal(3.1, goals["until-flip-ratio-object-to-object"].Value, 12);
        Assert.True(goals["until-flip-ratio-object-to-object"].Met);
        Assert.Equal(4.0, goals["until-flip-ratio-object-to-none"].Value, 12);
        Assert.False(goals["until-flip-ratio-object-to-none"].Met);         // 4× < 5×
        Assert.True(goals["wall-time-minutes"].Met);
        Assert.Equal("3.1×", goals["until-flip-ratio-object-to-object"].FormatValue());
        Assert.Equal("Θ = 0.45", goals["best-threshold"].FormatValue());
    }

    [Fact]
    public void TooFewAttackedImagesFailTheRatioGoal()
    {
        var attacks = new[] { Attack("direct", "object → None", 12, 2), Attack("triple-staged Θ=0.45", "object → None", 12, 20) };
        var result = new ReproductionResult(ReproductionScale.Small, 64, 10, 10, ["a", "None"], [Row("triple-staged", 0.2, 1), Row("triple-staged", 0.45, 3)],
            attacks, null!, [], [], TimeSpan.FromMinutes(20));
        var goals = ReproductionGoals.Check(result, 0.45).ToDictionary(g => g.Key);
        Assert.Equal(10, goals["until-flip-ratio-object-to-none"].Value, 12);
        Assert.False(goals["until-flip-ratio-object-to-none"].Met);        // 10× but over 12 images, not 100
        Assert.False(goals["best-threshold"].Met);                          // Θ = 0.2 is better
        Assert.False(goals["wall-time-minutes"].Met);
    }

    [Fact]
    public void RatiosUseTheAttackThresholdsRowWhenOtherThresholdsWereAttackedToo()
    {
        // Rows at Θ = 0.2 before those at the attack Θ (0.45): the goal takes 0.45's, not the first triple-staged row.
        var attacks = new[]
        {
            Attack("direct", "object → None", 100, 5), Attack("triple-staged Θ=0.2", "object → None", 100, 40),
            Attack("triple-staged Θ=0.45", "object → None", 100, 10), Attack("triple-staged Θ=0.7", "object → None", 100, 7),
        };
        var result = new ReproductionResult(ReproductionScale.Small, 64, 10, 10, ["a", "None"], [Row("triple-staged", 0.45, 3)], attacks, null!, [], [],
            TimeSpan.FromMinutes(10));
        Assert.Equal(2.0, ReproductionGoals.Check(result, 0.45).Single(g => g.Key == "until-flip-ratio-object-to-none").Value, 12);
        Assert.Equal(8.0, ReproductionGoals.Check(result, 0.2).Single(g => g.Key == "until-flip-ratio-object-to-none").Value, 12);
    }

    [Theory]
    [InlineData(14.4, true)]
    [InlineData(14.6, false)]
    public void TheDemoHasFourteenAndAHalfMinutes_HalfAMinuteOfFifteenIsLeftForTheBuild(double minutes, bool met)
    {
        var result = new ReproductionResult(ReproductionScale.Small, 64, 10, 10, ["a", "None"], [Row("triple-staged", 0.45, 3)], [], null!, [], [],
            TimeSpan.FromMinutes(minutes));
        var goal = ReproductionGoals.Check(result, 0.45).Single(g => g.Key == "wall-time-minutes");
        Assert.Equal(met, goal.Met);
        Assert.Equal("≤ 14.5 (15 with the build)", goal.Goal);
    }
}
