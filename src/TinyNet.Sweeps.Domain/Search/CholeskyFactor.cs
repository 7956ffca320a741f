using MathNet.Numerics.Providers.LinearAlgebra;

namespace TinyNet.Sweeps.Domain.Search;

/// <summary>
/// The Cholesky factor L of a symmetric positive definite matrix, from Math.NET's managed provider called
/// directly: the global provider can be switched to a native one (MKL, OpenBLAS) by the host process or an
/// environment variable, and native results depend on the CPU. Solves go one column at a time, which the
/// managed provider runs inline, never in parallel.
/// </summary>
internal sealed class CholeskyFactor
{
    private static readonly ManagedLinearAlgebraProvider Provider = ManagedLinearAlgebraProvider.Instance;

    private readonly double[] lower; // column-major, zero above the diagonal
    private readonly int order;

    private CholeskyFactor(double[] lower, int order) => (this.lower, this.order) = (lower, order);

    /// <summary>The factor of a column-major matrix, or null when it is not numerically positive definite.</summary>
    public static CholeskyFactor? TryCreate(double[] columnMajor, int order)
    {
        var factor = (double[])columnMajor.Clone();
        try
        {
            Provider.CholeskyFactor(factor, order);
        }
        catch (ArgumentException) // "Matrix must be positive definite."
        {
            return null;
        }
        return new CholeskyFactor(factor, order);
    }

    /// <summary>x with A x = b.</summary>
    public double[] Solve(IReadOnlyList<double> b)
    {
        var x = b.ToArray();
        Provider.CholeskySolveFactored(lower, order, x, 1);
        return x;
    }

    /// <summary>ln |A| / 2 = Σ ln L_ii.</summary>
    public double HalfLogDeterminant()
    {
        double sum = 0;
        for (int i = 0; i < order; i++)
            sum += PortableMath.Log(lower[i * order + i]);
        return sum;
    }
}
