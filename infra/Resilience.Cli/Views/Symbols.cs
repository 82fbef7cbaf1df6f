using Resilience.Engine.Planning;

namespace Resilience.Cli.Views;

/// <summary>Pulumi's plan symbols and colours.</summary>
public static class Symbols
{
    public static string Of(StepKind kind) => kind switch
    {
        StepKind.Create => "+",
        StepKind.Update => "~",
        StepKind.Reload => "~",
        StepKind.Replace => "+-",
        StepKind.Delete => "-",
        _ => " ",
    };

    public static string Colour(StepKind kind) => kind switch
    {
        StepKind.Create => "green",
        StepKind.Update or StepKind.Reload => "yellow",
        StepKind.Replace => "fuchsia",
        StepKind.Delete => "red",
        _ => "grey",
    };
}
