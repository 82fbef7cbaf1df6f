using System.Text.Json.Serialization;

namespace Resilience.Runtime.HealthSync;

/// <summary>One agent's health as probed on its machine; published on <c>&lt;prefix&gt;.&lt;machine&gt;</c>.</summary>
public sealed record AgentHealthEvent(string Machine, string Agent, string Status, DateTimeOffset At, double ResponseMs, string? Error = null)
{
    public const string Up = "up";
    public const string Down = "down";

    [JsonIgnore]
    public bool IsUp => Status == Up;

    /// <summary>Same event, same id: JetStream drops a redelivered publish within its duplicate window.</summary>
    [JsonIgnore]
    public string MsgId => $"{Machine}-health-{Agent}-{At.ToUnixTimeMilliseconds()}";
}
