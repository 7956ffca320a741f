namespace TinyNet.Sweeps.Domain.Search;

/// <summary>The posterior of a Gaussian process at one point: its mean and standard deviation.</summary>
public readonly record struct GaussianPrediction(double Mean, double StandardDeviation);

/// <summary>
/// Gaussian process regression as W&amp;B's bayes search runs scikit-learn's GaussianProcessRegressor: the
/// values standardized (W&amp;B's fit_normalized_gaussian_process), <see cref="Alpha"/> added to the
/// covariance's diagonal, and a <see cref="MaternKernel"/> whose hyperparameters maximise the log marginal
/// likelihood (<see cref="KernelFit"/>).
/// </summary>
public sealed class GaussianProcess
{
    /// <summary>W&amp;B's GAUSSIAN_PROCESS_NUGGET: noise variance added to the diagonal.</summary>
    public const double Alpha = 1e-7;

    /// <summary>W&amp;B's n_restarts_optimizer.</summary>
    public const int OptimizerRestarts = 2;

    // W&B adds it to the standard deviation of the values, so equal values do not divide by zero.
    private const double ScaleEpsilon = 1e-6;

    private readonly IReadOnlyList<IReadOnlyList<double>> points;
    private readonly CholeskyFactor factor;
    private readonly double[] weights; // K⁻¹ y, y standardized

    private GaussianProcess(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<double> standardized, Standardization scale,
        MarginalLikelihood likelihood, MaternKernel kernel, double logMarginalLikelihood, bool kernelNearBounds)
    {
        this.points = [.. points.Select(p => p.ToArray())]; // the caller's lists may change after the fit
        Scale = scale;
        Kernel = kernel;
        KernelNearBounds = kernelNearBounds;
        factor = CholeskyFactor.TryCreate(likelihood.CovarianceMatrix(kernel), points.Count)
            ?? throw new InvalidOperationException($"The kernel {kernel} does not give a positive definite covariance of these points");
        weights = factor.Solve(standardized);
        LogMarginalLikelihood = logMarginalLikelihood;
    }

    public MaternKernel Kernel { get; }

    /// <summary>How the values were standardized before the fit; predictions are in the values' own units.</summary>
    public Standardization Scale { get; }

    public double LogMarginalLikelihood { get; }

    /// <summary>
    /// A fitted hyperparameter ended at (numpy.isclose to) a bound of <see cref="MaternKernel"/>: a bad fit,
    /// after which W&amp;B suggests a random point.
    /// </summary>
    public bool KernelNearBounds { get; }

    /// <summary>
    /// Fits the process to values at points, the kernel's hyperparameters by maximum likelihood; the random
    /// restarts draw from <paramref name="random"/>. Without <paramref name="fitConstantFactor"/> the constant
    /// factor stays 1, W&amp;B's own kernel.
    /// </summary>
    public static GaussianProcess Fit(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<double> values, Random random, bool fitConstantFactor = true)
    {
        var scale = Standardization.Of(values);
        var standardized = scale.Apply(values);
        var likelihood = new MarginalLikelihood(points, standardized, fitConstantFactor);
        var (fitted, logMarginalLikelihood) = KernelFit.Maximize(likelihood, random);
        return new GaussianProcess(points, standardized, scale, likelihood, likelihood.KernelAt(fitted), logMarginalLikelihood,
            fitted.Any(KernelFit.IsNearBound));
    }

    /// <summary>The process with a given kernel, nothing fitted.</summary>
    public static GaussianProcess WithKernel(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<double> values, MaternKernel kernel)
    {
        var scale = Standardization.Of(values);
        var standardized = scale.Apply(values);
        var likelihood = new MarginalLikelihood(points, standardized, fitConstantFactor: true);
        double logMarginalLikelihood = likelihood.Evaluate(likelihood.LogHyperparameters(kernel)).Value;
        return new GaussianProcess(points, standardized, scale, likelihood, kernel, logMarginalLikelihood, kernelNearBounds: false);
    }

    /// <summary>The posterior at a point, in the values' units.</summary>
    public GaussianPrediction Predict(IReadOnlyList<double> point)
    {
        var standardized = PredictStandardized(point);
        return new GaussianPrediction(Scale.Restore(standardized.Mean), standardized.StandardDeviation * Scale.StandardDeviation);
    }

    /// <summary>
    /// The posterior at a point in the standardized units of the fit: mean kᵀK⁻¹y and standard deviation
    /// √(k(x, x) − kᵀK⁻¹k), the variance floored at 0 where rounding takes it below.
    /// </summary>
    public GaussianPrediction PredictStandardized(IReadOnlyList<double> point)
    {
        var covariances = new double[points.Count];
        for (int i = 0; i < points.Count; i++)
            covariances[i] = Kernel.Covariance(point, points[i]);
        double mean = MarginalLikelihood.Dot(covariances, weights);
        double variance = Kernel.ConstantFactor - MarginalLikelihood.Dot(covariances, factor.Solve(covariances));
        return new GaussianPrediction(mean, Math.Sqrt(Math.Max(variance, 0)));
    }

    /// <summary>
    /// W&amp;B's standardization of the values: (y − mean) / (standard deviation + 1e-6), or y − y₀ for a
    /// single value. (scikit-learn's normalize_y, which W&amp;B does by hand, differs only by the 1e-6.)
    /// </summary>
    public sealed record Standardization(double Mean, double StandardDeviation)
    {
        public static Standardization Of(IReadOnlyList<double> values)
        {
            if (values.Count == 1)
                return new Standardization(values[0], 1);
            // Plain loops: a vectorized Sum would add in an order that depends on the CPU's vector width.
            double sum = 0, squares = 0;
            foreach (double v in values)
                sum += v;
            double mean = sum / values.Count;
            foreach (double v in values)
                squares += (v - mean) * (v - mean);
            return new Standardization(mean, Math.Sqrt(squares / values.Count) + ScaleEpsilon);
        }

        public double[] Apply(IReadOnlyList<double> values) => [.. values.Select(v => (v - Mean) / StandardDeviation)];

        public double Restore(double standardized) => standardized * StandardDeviation + Mean;
    }
}
