using System.Globalization;

namespace TinyNet.Sweeps.Domain.Sweeps;

/// <summary>Turns a YAML scalar into a value one parameter can train with, or explains why not.</summary>
internal static class ValueTyping
{
    public static ParamValue? Convert(KnownParameter parameter, Scalar scalar, Diagnostics diagnostics)
    {
        string name = parameter.Name;
        if (parameter.Type == ParamType.Choice)
        {
            string text = scalar.Text.Trim().ToLowerInvariant();
            if (scalar.Kind == ScalarKind.String && parameter.Choices.Contains(text))
                return ParamValue.Of(text);
            string hint = scalar.Kind == ScalarKind.String ? DidYouMean.Hint(text, parameter.Choices) : "";
            diagnostics.Error(scalar.Node, $"{name}: {scalar.Describe()} is not allowed{hint}{(hint.Length > 0 ? "" : ";")} {name} must be one of {string.Join(", ", parameter.Choices)}");
            return null;
        }

        if (!scalar.IsNumber)
        {
            string fix = scalar.Kind == ScalarKind.String && YamlScalars.LooksNumeric(scalar.Text)
                ? "; remove the quotes to make it a number"
                : "";
            diagnostics.Error(scalar.Node, $"{name} must be {parameter.TypeName}, not {scalar.Describe()}{fix}");
            return null;
        }

        YamlScalars.WarnIfReadDifferentlyByWandb(scalar, diagnostics);
        double value = scalar.Number;
        if (!double.IsFinite(value) && scalar.Kind != ScalarKind.Int) // a huge integer is out of range, said below
        {
            diagnostics.Error(scalar.Node, $"{name} must be a finite number, not {scalar.Shown}");
            return null;
        }
        if (parameter.Type == ParamType.Int && value != Math.Floor(value))
        {
            diagnostics.Error(scalar.Node, $"{name} must be an integer, not {scalar.Shown}");
            return null;
        }
        if (!CheckTrainable(parameter, value, scalar, diagnostics))
            return null;
        return ParamValue.Of(value);
    }

    public static bool CheckTrainable(KnownParameter parameter, double value, Scalar at, Diagnostics diagnostics)
    {
        if (parameter.Bounds.Contains(value))
            return true;
        string written = at.Kind == ScalarKind.Int ? at.Shown : Format(value); // 9223372036854775807, not 9.2E+18
        diagnostics.Error(at.Node, $"{parameter.Name} = {written} cannot train: {parameter.Name} must be {parameter.Bounds.Describe()} ({parameter.Why})");
        return false;
    }

    public static string Format(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
