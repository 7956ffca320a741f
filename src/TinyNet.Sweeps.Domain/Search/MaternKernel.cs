namespace TinyNet.Sweeps.Domain.Search;

/// <summary>
/// The covariance c · (1 + √3 r / l) · exp(−√3 r / l) between two points at distance r: scikit-learn's
/// Matern kernel with ν = 1.5 (one length scale for every dimension, as W&amp;B's) times a constant factor.
/// </summary>
public sealed record MaternKernel(double ConstantFactor, double LengthScale)
{
    /// <summary>scikit-learn's default bounds of both hyperparameters.</summary>
    public const double LowerBound = 1e-5, UpperBound = 1e5;

    private const double Sqrt3 = 1.7320508075688772935;

    /// <summary>scikit-learn's starting values: both 1.</summary>
    public static MaternKernel Initial { get; } = new(1, 1);

    public double Covariance(IReadOnlyList<double> a, IReadOnlyList<double> b) => Covariance(Distance(a, b));

    public double Covariance(double distance) => CovarianceAndGradient(distance).Covariance;

    /// <summary>
    /// The covariance at a distance and its derivative with respect to ln l, c · 3 (r/l)² · exp(−√3 r / l)
    /// (its derivative with respect to ln c is the covariance itself).
    /// </summary>
    public (double Covariance, double LengthScaleGradient) CovarianceAndGradient(double distance)
    {
        double s = Sqrt3 * distance / LengthScale;
        double scaledExp = ConstantFactor * PortableMath.Exp(-s);
        return ((1 + s) * scaledExp, s * s * scaledExp);
    }

    public static double Distance(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Count; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return Math.Sqrt(sum); // IEEE square root: the same bits everywhere
    }
}
