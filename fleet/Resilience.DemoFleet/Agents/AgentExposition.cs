using System.Globalization;
using System.Text;

namespace Resilience.DemoFleet.Agents;

/// <summary>An agent's metrics in the Prometheus text exposition format (0.0.4), the same text scraped and pushed.</summary>
public static class AgentExposition
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(AgentState state, LatencyWindow pushes)
    {
        var agent = $"agent=\"{Escape(state.Name)}\"";
        var text = new StringBuilder();
        void Metric(string name, string type, string help, params (string Labels, double Value)[] samples)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var (labels, value) in samples)
            {
                text.Append(labels).Append(' ').Append(Format(value)).Append('\n');
            }
        }

        Metric("demo_agent_up", "gauge", "1 while the agent works, 0 when it was made to fail.",
            ($"demo_agent_up{{{agent}}}", state.Mode is "running" or "slow" ? 1 : 0));
        Metric("demo_agent_samples_total", "counter",
            "Samples the agent produced, one per push period while up; each push carries the latest, so a gap between pushed values is a lost push.",
            ($"demo_agent_samples_total{{{agent}}}", state.Samples));
        Metric("demo_agent_config_generation", "gauge", "How many times the agent (re)started on its agent file since the fleet started.",
            ($"demo_agent_config_generation{{{agent}}}", state.ConfigGeneration));
        Metric("demo_agent_config_info", "gauge", "The agent file the agent runs on: its SHA-256 (none: Phase 1, no file) and push target.",
            ($"demo_agent_config_info{{{agent},config_sha256=\"{state.ConfigSha256 ?? "none"}\",phase=\"{state.Phase}\",push_target=\"{Escape(state.PushTarget ?? "")}\"}}", 1));
        var (quantiles, sum, count) = pushes.Read(0.5, 0.9, 0.99);
        var summary = quantiles
            .Select(q => ($"demo_agent_push_duration_seconds{{{agent},quantile=\"{Format(q.Quantile)}\"}}", q.Seconds))
            .Append(($"demo_agent_push_duration_seconds_sum{{{agent}}}", sum))
            .Append(($"demo_agent_push_duration_seconds_count{{{agent}}}", (double)count))
            .ToArray();
        Metric("demo_agent_push_duration_seconds", "summary", "Time from sending a push to its answer, over the last 128 pushes.", summary);
        return text.ToString();
    }

    private static string Format(double value) =>
        double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
