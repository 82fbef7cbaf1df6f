namespace Resilience.Model;

/// <summary>One end of a <see cref="DataPath"/>: a resource of the stack that runs on <paramref name="Machine"/>.</summary>
/// <remarks>Named by machine, not stack, so a path can point at a resource of a stack that is not loaded.</remarks>
public sealed record DataEndpoint(string Machine, string Type, string Name);

/// <summary>
/// Where data flows at run time between two resources (a remote write, a leafnode, a stream source, a runtime's
/// tier), as opposed to the deploy-time order of <see cref="Resource.DependsOn"/>. Declared by the components for
/// pictures and reviews; the engine ignores it.
/// </summary>
/// <param name="Kind">What flows, in a short stable word ("remote-write", "leafnode", "source", "tier").</param>
/// <param name="Label">The words shown on the path ("remote write", "tier 2: remote hub").</param>
public sealed record DataPath(DataEndpoint From, DataEndpoint To, string Kind, string Label);
