using System.Text.Json.Nodes;
using Resilience.Engine.Providers;
using Resilience.Model;

namespace Resilience.Providers.Docker;

/// <summary>The provider contract for one resource type of the docker family.</summary>
internal interface IResourceHandler
{
    IReadOnlyList<string> Check(Resource desired);
    DiffResult Diff(ResourceState recorded, Resource desired);
    Task<JsonObject> CreateAsync(Resource desired, CancellationToken ct);
    Task<ReadResult?> ReadAsync(ResourceState recorded, CancellationToken ct);
    Task<JsonObject> UpdateAsync(ResourceState recorded, Resource desired, DiffResult diff, CancellationToken ct);
    Task DeleteAsync(ResourceState recorded, CancellationToken ct);
}
