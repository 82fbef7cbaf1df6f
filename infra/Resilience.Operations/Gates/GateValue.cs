using System.Globalization;

namespace Resilience.Operations.Gates;

/// <summary>A value a condition computes with: a number, a text (a runtime's tier) or a truth value.</summary>
public readonly record struct GateValue
{
    private GateValue(double? number, string? text, bool? truth)
    {
        Number = number;
        Text = text;
        Truth = truth;
    }

    public double? Number { get; }
    public string? Text { get; }
    public bool? Truth { get; }

    public static GateValue Of(double number) => new(number, null, null);
    public static GateValue Of(string text) => new(null, text, null);
    public static GateValue Of(bool truth) => new(null, null, truth);

    /// <summary>A text that reads as a number is a number (Prometheus answers its sample values as strings).</summary>
    public static GateValue Parse(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? Of(n) : Of(text);

    public string Kind => Number is not null ? "number" : Text is not null ? "text" : "truth value";

    public override string ToString() => Number is { } n ? Format(n) : Text is { } t ? t : Truth == true ? "true" : "false";

    public static string Format(double n) => double.IsNaN(n) ? "NaN" : Math.Abs(n) >= 1e15 || n == Math.Floor(n)
        ? n.ToString("0.###", CultureInfo.InvariantCulture)
        : n.ToString("0.####", CultureInfo.InvariantCulture);
}
