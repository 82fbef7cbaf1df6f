using System.Text.Json.Nodes;
using Resilience.Contracts;

namespace Resilience.Tests.Contracts;

/// <summary>State written before the contracts existed keeps loading, and compares equal to what the records write.</summary>
public class OlderStateTests
{
    private static IEnumerable<(string Urn, string Type, JsonObject Inputs)> Recorded()
    {
        var path = Path.Combine(RepoPaths.Root, "tests", "Resilience.Tests", "Contracts", "Fixtures", "inputs-before-contracts.json");
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        return root["resources"]!.AsArray().Select(r => (r!["urn"]!.GetValue<string>(), r["type"]!.GetValue<string>(), r["inputs"]!.AsObject()));
    }

    [Fact]
    public void Inputs_recorded_before_the_contracts_read_without_failures_and_write_back_unchanged()
    {
        var recorded = Recorded().ToList();
        // The fixture covers every type that existed before the contracts (agent restarts came after: no older state holds one).
        Assert.Equal(ResourceTypes.All.Select(c => c.Type!).Where(t => t != "command:agent-restart").Order(), recorded.Select(r => r.Type).Distinct().Order());
        foreach (var (urn, type, inputs) in recorded)
        {
            var contract = ResourceTypes.Of(type);
            Assert.True(ContractReader.Check(contract.Record, inputs) is { Count: 0 }, $"{urn}: {string.Join("; ", ContractReader.Check(contract.Record, inputs))}");
            var read = typeof(ContractJson).GetMethod(nameof(ContractJson.Read))!.MakeGenericMethod(contract.Record).Invoke(null, [inputs])!;
            var value = read.GetType().GetProperty("Value")!.GetValue(read)!;
            var written = ContractJson.Write(value);
            // The same JSON, key order included: state compares Same and the state file's text does not churn.
            Assert.True(written.ToJsonString() == inputs.ToJsonString(), $"{urn}:\n{inputs.ToJsonString()}\n{written.ToJsonString()}");
        }
    }
}
