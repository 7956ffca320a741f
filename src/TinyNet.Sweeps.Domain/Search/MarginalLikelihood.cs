namespace TinyNet.Sweeps.Domain.Search;

/// <summary>
/// The log marginal likelihood of (standardized) values at points under a <see cref="MaternKernel"/> plus
/// <see cref="GaussianProcess.Alpha"/> on the diagonal, and its gradient with respect to the logarithms of
/// the fitted hyperparameters, as scikit-learn's GaussianProcessRegressor.log_marginal_likelihood computes
/// them. The fitted hyperparameters are [ln c, ln l], or [ln l] when the constant factor stays 1 (W&amp;B's
/// kernel has none).
/// </summary>
public sealed class MarginalLikelihood
{
    private static readonly double HalfLog2Pi = 0.5 * PortableMath.Log(2 * Math.PI);

    private readonly double[] distances; // column-major n × n
    private readonly double[] values;
    private readonly int n;

    public MarginalLikelihood(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<double> values, bool fitConstantFactor)
    {
        if (points.Count != values.Count || points.Count == 0)
            throw new ArgumentException($"need as many values as points, and at least one ({points.Count} points, {values.Count} values)");
        n = points.Count;
        this.values = [.. values];
        FitsConstantFactor = fitConstantFactor;
        distances = new double[n * n];
        for (int j = 0; j < n; j++)
            for (int i = 0; i < j; i++)
                distances[i + j * n] = distances[j + i * n] = MaternKernel.Distance(points[i], points[j]);
    }

    public bool FitsConstantFactor { get; }

    public int HyperparameterCount => FitsConstantFactor ? 2 : 1;

    public MaternKernel KernelAt(IReadOnlyList<double> logHyperparameters) => FitsConstantFactor
        ? new MaternKernel(PortableMath.Exp(logHyperparameters[0]), PortableMath.Exp(logHyperparameters[1]))
        : new MaternKernel(1, PortableMath.Exp(logHyperparameters[0]));

    public double[] LogHyperparameters(MaternKernel kernel) => FitsConstantFactor
        ? [PortableMath.Log(kernel.ConstantFactor), PortableMath.Log(kernel.LengthScale)]
        : [PortableMath.Log(kernel.LengthScale)];

    /// <summary>The covariance matrix of the points with alpha on its diagonal, column-major.</summary>
    public double[] CovarianceMatrix(MaternKernel kernel) => Covariances(kernel).Covariance;

    /// <summary>
    /// ln p(y) = −½ yᵀK⁻¹y − ½ ln |K| − n/2 ln 2π and its gradient ½ tr((ααᵀ − K⁻¹) ∂K/∂θ) with α = K⁻¹y;
    /// −∞ (and a zero gradient) when K is not numerically positive definite, as scikit-learn.
    /// </summary>
    public (double Value, double[] Gradient) Evaluate(IReadOnlyList<double> logHyperparameters)
    {
        var kernel = KernelAt(logHyperparameters);
        var (covariance, lengthScaleGradient) = Covariances(kernel);
        var gradient = new double[HyperparameterCount];
        var factor = CholeskyFactor.TryCreate(covariance, n);
        if (factor is null)
            return (double.NegativeInfinity, gradient);

        double[] alpha = factor.Solve(values);
        double value = -0.5 * Dot(values, alpha) - factor.HalfLogDeterminant() - n * HalfLog2Pi;

        double constantTerm = 0, lengthScaleTerm = 0;
        var unit = new double[n];
        for (int j = 0; j < n; j++)
        {
            unit[j] = 1;
            double[] inverseColumn = factor.Solve(unit); // column j of K⁻¹
            unit[j] = 0;
            for (int i = 0; i < n; i++)
            {
                double inner = alpha[i] * alpha[j] - inverseColumn[i];
                int at = i + j * n;
                // ∂K/∂ln c is K without alpha: c on the diagonal.
                constantTerm += inner * (i == j ? kernel.ConstantFactor : covariance[at]);
                lengthScaleTerm += inner * lengthScaleGradient[at];
            }
        }
        if (FitsConstantFactor)
            gradient[0] = 0.5 * constantTerm;
        gradient[^1] = 0.5 * lengthScaleTerm;
        return (value, gradient);
    }

    private (double[] Covariance, double[] LengthScaleGradient) Covariances(MaternKernel kernel)
    {
        var covariance = new double[n * n];
        var lengthScaleGradient = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i <= j; i++)
            {
                var (k, dk) = kernel.CovarianceAndGradient(distances[i + j * n]);
                covariance[i + j * n] = covariance[j + i * n] = k;
                lengthScaleGradient[i + j * n] = lengthScaleGradient[j + i * n] = dk;
            }
            covariance[j + j * n] += GaussianProcess.Alpha;
        }
        return (covariance, lengthScaleGradient);
    }

    internal static double Dot(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Count; i++)
            sum += a[i] * b[i];
        return sum;
    }
}
