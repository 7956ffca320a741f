using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace TinyNet.Sweeps.Domain.Search;

/// <summary>
/// scikit-learn's fit of the kernel hyperparameters: maximise the log marginal likelihood over their
/// logarithms within the kernel's bounds by a bounded quasi-Newton method (scikit-learn's L-BFGS-B, here
/// Math.NET's BFGS-B), from the initial values and then from <see cref="GaussianProcess.OptimizerRestarts"/>
/// starts drawn uniformly within the bounds, keeping the best (the first of equals).
/// </summary>
public static class KernelFit
{
    private static readonly double LowerLog = PortableMath.Log(MaternKernel.LowerBound);
    private static readonly double UpperLog = PortableMath.Log(MaternKernel.UpperBound);

    // Where the likelihood cannot be computed (scikit-learn returns −∞): a finite value the optimizer can compare.
    private const double Unusable = 1e100;

    public static (double[] LogHyperparameters, double LogMarginalLikelihood) Maximize(MarginalLikelihood likelihood, Random random)
    {
        var best = Climb(likelihood, likelihood.LogHyperparameters(MaternKernel.Initial));
        for (int restart = 0; restart < GaussianProcess.OptimizerRestarts; restart++)
        {
            var start = new double[likelihood.HyperparameterCount];
            for (int i = 0; i < start.Length; i++)
                start[i] = LowerLog + random.NextDouble() * (UpperLog - LowerLog);
            var found = Climb(likelihood, start);
            if (found.LogMarginalLikelihood > best.LogMarginalLikelihood)
                best = found;
        }
        return best;
    }

    /// <summary>
    /// The best point the minimizer evaluated from <paramref name="start"/>: kept by the objective itself, so a
    /// minimizer that gives up (no conforming step, too many iterations) still yields its progress, as SciPy does.
    /// </summary>
    private static (double[] LogHyperparameters, double LogMarginalLikelihood) Climb(MarginalLikelihood likelihood, double[] start)
    {
        double[] bestPoint = start;
        double bestValue = double.NegativeInfinity;
        var objective = ObjectiveFunction.Gradient(theta =>
        {
            double[] point = Clamp(theta.ToArray());
            var (value, gradient) = likelihood.Evaluate(point);
            if (value > bestValue)
                (bestValue, bestPoint) = (value, point);
            return double.IsFinite(value)
                ? (-value, Vector<double>.Build.DenseOfEnumerable(gradient.Select(g => -g)))
                : (Unusable, Vector<double>.Build.Dense(point.Length));
        });
        var lower = Vector<double>.Build.Dense(start.Length, LowerLog);
        var upper = Vector<double>.Build.Dense(start.Length, UpperLog);
        try
        {
            // scikit-learn's L-BFGS-B stops at a projected gradient below 1e-5; Math.NET's test divides the gradient
            // by max(|f|, 1), and 1e-6 ends the reference fits within 1e-5 of scikit-learn's (GaussianProcessTests).
            new BfgsBMinimizer(gradientTolerance: 1e-6, parameterTolerance: 1e-10, functionProgressTolerance: 1e-12, maximumIterations: 200)
                .FindMinimum(objective, lower, upper, Vector<double>.Build.DenseOfArray(start));
        }
        catch (Exception e) when (e is OptimizationException or ArgumentException)
        {
            // The best point evaluated so far stands (the reduced Hessian's Cholesky throws ArgumentException).
        }
        return (bestPoint, bestValue);
    }

    /// <summary>W&amp;B's test (numpy.isclose of the bounds and the fitted logarithm) for a fit that ran into a bound.</summary>
    public static bool IsNearBound(double logHyperparameter) =>
        IsClose(LowerLog, logHyperparameter) || IsClose(UpperLog, logHyperparameter);

    // The line search can step past a bound by rounding.
    private static double[] Clamp(double[] point) => [.. point.Select(p => Math.Clamp(p, LowerLog, UpperLog))];

    // numpy.isclose(a, b): |a − b| ≤ 1e-8 + 1e-5 |b|.
    private static bool IsClose(double bound, double value) => Math.Abs(bound - value) <= 1e-8 + 1e-5 * Math.Abs(value);
}
