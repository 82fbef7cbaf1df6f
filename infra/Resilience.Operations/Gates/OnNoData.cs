namespace Resilience.Operations.Gates;

/// <summary>What a measurement that found nothing to judge (an empty query result) counts as. Always explicit in a gate file.</summary>
public enum OnNoData
{
    Fail,
    Inconclusive,
    Pass,
}
