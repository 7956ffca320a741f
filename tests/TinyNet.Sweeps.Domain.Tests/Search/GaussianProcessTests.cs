using TinyNet.Sweeps.Domain.Search;

namespace TinyNet.Sweeps.Domain.Tests.Search;

/// <summary>
/// The process against numbers computed elsewhere: a 2-point posterior from plain formulas (a 2 × 2 inverse)
/// and scikit-learn 1.2.1's GaussianProcessRegressor set up as W&amp;B sets it up, with and without the constant
/// factor; sklearn_reference.py beside this file prints them all.
/// </summary>
public class GaussianProcessTests
{
    private static readonly double[][] Line = [[0.0], [0.25], [0.5], [0.8], [1.0]];
    private static readonly double[] Sine = [.. Line.Select(p => Math.Sin(6 * p[0]))];
    private static readonly double[][] Plane = [[0.1, 0.2], [0.4, 0.9], [0.7, 0.3], [0.9, 0.8], [0.3, 0.5], [0.6, 0.6], [0.2, 0.95], [0.85, 0.1]];
    private static readonly double[] Bowl = [.. Plane.Select(p => (p[0] - 0.3) * (p[0] - 0.3) + (p[1] - 0.6) * (p[1] - 0.6))];
    private static readonly double[][] PlaneTests = [[0.3, 0.6], [0.5, 0.5], [0.0, 1.0]];
    private static readonly double[][] LineTests = [[0.1], [0.6], [0.9]];

    private static void AssertClose(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

    private static void AssertPredictions(GaussianProcess process, double[][] at, double[] means, double[] deviations, double tolerance)
    {
        for (int i = 0; i < at.Length; i++)
        {
            var prediction = process.Predict(at[i]);
            AssertClose(means[i], prediction.Mean, tolerance, $"mean at ({string.Join(", ", at[i])})");
            AssertClose(deviations[i], prediction.StandardDeviation, tolerance, $"standard deviation at ({string.Join(", ", at[i])})");
        }
    }

    [Fact]
    public void The_posterior_of_two_points_matches_the_hand_computation()
    {
        // y = (0.09, 0.49) at 0 and 1, c = 1, l = 0.5: standardized y = (∓1) · 0.2 / (0.2 + 1e-6), and the posterior
        // from the 2 × 2 inverse of [[1 + 1e-7, k(1)], [k(1), 1 + 1e-7]], k(r) = (1 + √3 r / l) exp(−√3 r / l).
        var process = GaussianProcess.WithKernel([[0.0], [1.0]], [0.09, 0.49], new MaternKernel(1, 0.5));
        AssertPredictions(process, [[0.3], [0.5], [0.0]],
            [0.19275940746841908, 0.29, 0.0900000232485488],
            [0.13235676628694473, 0.15362602641575954, 6.324586621961418e-05], 1e-12);
    }

    public static TheoryData<string, bool, double[], double, double[]> LikelihoodCases => new()
    {
        // case, constant factor fitted, kernel (c, l) or (l), log marginal likelihood, gradient (scikit-learn)
        { "line", true, [0.7, 0.3], -8.655244145979879, [3.3419690125546264, -5.917380766863635] },
        { "line", false, [0.3], -7.7943406169442255, [-3.5805470046579972] },
        { "plane", true, [0.7, 0.3], -11.168775695075777, [2.2697172966149637, -0.8008213961907267] },
        { "plane", false, [0.3], -10.714560169906488, [0.18928220881088864] },
    };

    [Theory]
    [MemberData(nameof(LikelihoodCases))]
    public void The_log_marginal_likelihood_and_its_gradient_match_scikit_learn(string name, bool constantFactor, double[] kernel, double expected, double[] gradient)
    {
        var (points, values) = name == "line" ? (Line, Sine) : (Plane, Bowl);
        var likelihood = new MarginalLikelihood(points, GaussianProcess.Standardization.Of(values).Apply(values), constantFactor);
        var (value, actualGradient) = likelihood.Evaluate([.. kernel.Select(k => Math.Log(k))]);
        AssertClose(expected, value, 1e-12, "log marginal likelihood");
        for (int i = 0; i < gradient.Length; i++)
            AssertClose(gradient[i], actualGradient[i], 1e-12, $"gradient[{i}]");
    }

    [Fact]
    public void A_fit_with_a_single_optimum_finds_scikit_learns_kernel_and_posterior()
    {
        for (int seed = 0; seed < 4; seed++)
        {
            var process = GaussianProcess.Fit(Plane, Bowl, new Random(seed));
            AssertClose(1.8954575834658034, process.Kernel.ConstantFactor, 1e-4, "constant factor");
            AssertClose(0.5568692903654915, process.Kernel.LengthScale, 1e-4, "length scale");
            AssertClose(-10.572786530787237, process.LogMarginalLikelihood, 1e-9, "log marginal likelihood");
            Assert.False(process.KernelNearBounds);
            AssertPredictions(process, PlaneTests, [0.005334681139986419, 0.03408161077223065, 0.16948333305220803],
                [0.04643893168454718, 0.04943397355235713, 0.10368721082038097], 1e-4);
        }
    }

    [Fact]
    public void A_fit_of_a_multimodal_likelihood_ends_at_one_of_scikit_learns_optima()
    {
        // scikit-learn itself ends at the length-scale bound or inside, depending on its restarts' seed.
        var found = new HashSet<string>();
        for (int seed = 0; seed < 8; seed++)
        {
            var process = GaussianProcess.Fit(Line, Sine, new Random(seed));
            if (process.KernelNearBounds)
            {
                AssertClose(-7.094684916793986, process.LogMarginalLikelihood, 1e-9, "log marginal likelihood at the bound");
                found.Add("bound");
                continue;
            }
            AssertClose(-6.960462438815062, process.LogMarginalLikelihood, 1e-9, "log marginal likelihood inside");
            AssertClose(0.9867708346130539, process.Kernel.ConstantFactor, 1e-4, "constant factor");
            AssertClose(0.14498849299874933, process.Kernel.LengthScale, 1e-4, "length scale");
            AssertPredictions(process, LineTests, [0.34223512301948067, -0.19803003827258597, -0.6509103505760495],
                [0.4264742127307856, 0.4542565589846643, 0.36566230428902463], 1e-4);
            found.Add("inside");
        }
        Assert.Equal(["bound", "inside"], found.Order());
    }

    [Fact]
    public void W_and_Bs_kernel_without_a_constant_factor_matches_scikit_learn_too()
    {
        var inside = Enumerable.Range(0, 8).Select(seed => GaussianProcess.Fit(Plane, Bowl, new Random(seed), fitConstantFactor: false))
            .Where(p => !p.KernelNearBounds).ToList();
        Assert.NotEmpty(inside);
        foreach (var process in inside)
        {
            Assert.Equal(1, process.Kernel.ConstantFactor);
            AssertClose(0.32259830612124407, process.Kernel.LengthScale, 1e-4, "length scale");
            AssertClose(-10.707370386933198, process.LogMarginalLikelihood, 1e-9, "log marginal likelihood");
            AssertPredictions(process, PlaneTests, [0.011955950066558557, 0.04070194674342467, 0.1730453350519396],
                [0.0644196052269925, 0.07027661465595181, 0.11668809472553515], 1e-4);
        }
    }

    [Theory] // the basis of F8: values without information drive the kernel to its bounds
    [InlineData(true)]
    [InlineData(false)]
    public void Equal_values_drive_the_kernel_to_a_bound(bool constantFactor)
    {
        var random = new Random(3);
        var points = Enumerable.Range(0, 12).Select(_ => new[] { random.NextDouble(), random.NextDouble() }).ToArray();
        var process = GaussianProcess.Fit(points, new double[points.Length], random, constantFactor);
        Assert.True(process.KernelNearBounds, process.Kernel.ToString());
    }

    [Fact]
    public void Values_are_standardized_as_W_and_B_does()
    {
        Assert.Equal(new GaussianProcess.Standardization(4, 1), GaussianProcess.Standardization.Of([4]));
        Assert.Equal(new GaussianProcess.Standardization(2, 1e-6), GaussianProcess.Standardization.Of([2, 2, 2]));
        Assert.Equal(new GaussianProcess.Standardization(2, 1 + 1e-6), GaussianProcess.Standardization.Of([1, 3]));
    }

    [Fact]
    public void The_same_fit_twice_gives_the_same_bits()
    {
        var first = GaussianProcess.Fit(Line, Sine, new Random(11));
        var second = GaussianProcess.Fit(Line, Sine, new Random(11));
        Assert.Equal(first.Kernel, second.Kernel);
        Assert.Equal(first.Predict([0.37]), second.Predict([0.37]));
    }
}
