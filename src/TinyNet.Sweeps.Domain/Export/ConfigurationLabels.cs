using System.Globalization;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Export;

/// <summary>
/// One-line descriptions of configurations, as tables and the live view show them:
/// "relu adam lr=0.01 mom=0 wd=0.01 noise=0.3 clean=0.2 300ep bs64 h3 mse". Every parameter of the catalog is there;
/// each number has the fewest significant digits (at least two) that still tell apart the values of that parameter
/// among the configurations shown together, so a random search's lr=0.008143666656109102 reads lr=0.0081.
/// </summary>
public sealed class ConfigurationLabels
{
    private const int FewestDigits = 2, MostDigits = 17;

    private readonly Dictionary<string, int> _digits;

    private ConfigurationLabels(Dictionary<string, int> digits) => _digits = digits;

    /// <summary>Labels fit to tell <paramref name="configs"/> apart (the rows of one table).</summary>
    public static ConfigurationLabels For(IEnumerable<TrialConfig> configs)
    {
        var list = configs.ToList();
        var digits = new Dictionary<string, int>();
        foreach (var parameter in ParameterCatalog.ConfigParameters.Where(p => p.Type == ParamType.Float))
        {
            var values = list.Select(c => (double)parameter.Read!(c)).Distinct().ToList();
            int d = FewestDigits;
            while (d < MostDigits && values.Select(v => Format(v, d)).Distinct().Count() < values.Count) d++;
            digits[parameter.Name] = d;
        }
        return new ConfigurationLabels(digits);
    }

    /// <summary>"label: relu adam lr=0.01 …", or without the "label: " part when there is none.</summary>
    public string Describe(TrialConfig config, string? label = null)
    {
        string text = string.Join(' ', ParameterCatalog.ConfigParameters.Select(p =>
            string.Format(CultureInfo.InvariantCulture, p.LabelFormat,
                _digits.TryGetValue(p.Name, out int d) ? Format((double)p.Read!(config), d) : p.Text(config))));
        return label is null ? text : $"{label}: {text}";
    }

    /// <summary><paramref name="digits"/> significant digits, no trailing zeros: 0.0081, 1e-05, 300.</summary>
    private static string Format(double value, int digits) =>
        double.Parse(value.ToString("G" + digits, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
            .ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
}
