namespace Resilience.DemoFleet.Agents;

/// <summary>What an agent does right now. Only <see cref="Running"/> and <see cref="Slow"/> agents push.</summary>
public enum AgentMode
{
    /// <summary>Before its first start.</summary>
    Starting,
    Running,
    /// <summary>Health and metrics answer after a delay; pushes go on.</summary>
    Slow,
    /// <summary>Health answers 503, pushes stop: a process that noticed it is broken.</summary>
    Failed,
    /// <summary>Health and metrics never answer, pushes stop: a deadlocked process.</summary>
    Hung,
    /// <summary>Between stop and start during a restart.</summary>
    Restarting,
    /// <summary>The fleet is shutting down: nothing hangs any longer, so the process can exit.</summary>
    Stopped,
    /// <summary>Its agent file could not be used at the last (re)start: not running until restarted with a good file.</summary>
    ConfigError,
}

public static class AgentModes
{
    public static string Name(this AgentMode mode) => mode switch
    {
        AgentMode.ConfigError => "config-error",
        _ => mode.ToString().ToLowerInvariant(),
    };

    public static bool IsUp(this AgentMode mode) => mode is AgentMode.Running or AgentMode.Slow;

    /// <summary>The modes the control API may switch between; a restarting or misconfigured agent needs a restart.</summary>
    public static bool IsControllable(this AgentMode mode) => mode is not (AgentMode.Starting or AgentMode.Restarting or AgentMode.Stopped or AgentMode.ConfigError);
}
