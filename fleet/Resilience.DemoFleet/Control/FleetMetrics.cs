using System.Globalization;
using System.Text;
using Resilience.DemoFleet.Agents;

namespace Resilience.DemoFleet.Control;

/// <summary>The fleet's own metrics on the control port: agents per mode, pushes and restarts per agent and result.</summary>
public static class FleetMetrics
{
    public static string Render(Fleet fleet)
    {
        var states = fleet.Agents.Select(a => (Agent: a, State: a.State())).ToList();
        var text = new StringBuilder();
        void Header(string name, string type, string help) =>
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        void Sample(string name, string labels, long value) =>
            text.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

        Header("demo_fleet_agents", "gauge", "Agents of this fleet per mode.");
        foreach (var mode in Enum.GetValues<AgentMode>())
        {
            Sample("demo_fleet_agents", $"mode=\"{mode.Name()}\"", states.Count(s => s.State.Mode == mode.Name()));
        }
        Header("demo_fleet_pushes_total", "counter", "Pushes per agent and result (ok: the push target answered 2xx).");
        foreach (var (_, s) in states)
        {
            Sample("demo_fleet_pushes_total", $"agent=\"{s.Name}\",result=\"ok\"", s.PushesOk);
            Sample("demo_fleet_pushes_total", $"agent=\"{s.Name}\",result=\"failed\"", s.PushesFailed);
        }
        Header("demo_fleet_restarts_total", "counter", "Restarts through the control API per agent and result (failed: its agent file was unusable).");
        foreach (var (agent, s) in states)
        {
            Sample("demo_fleet_restarts_total", $"agent=\"{s.Name}\",result=\"ok\"", agent.RestartsOk);
            Sample("demo_fleet_restarts_total", $"agent=\"{s.Name}\",result=\"failed\"", agent.RestartsFailed);
        }
        return text.ToString();
    }
}
