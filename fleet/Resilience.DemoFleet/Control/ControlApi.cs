using Resilience.DemoFleet.Agents;

namespace Resilience.DemoFleet.Control;

/// <summary>
/// The control port: the agents' states, switching an agent's mode, restarting it (what a rollout's
/// agentRestartCommand calls), and the fleet's metrics. A refusal is a non-2xx answer with a one-line reason.
/// </summary>
public static class ControlApi
{
    public static void Map(IEndpointRouteBuilder app, Fleet fleet)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/metrics", () => Results.Text(FleetMetrics.Render(fleet), AgentExposition.ContentType));
        app.MapGet("/agents", () => Results.Json(fleet.Agents.Select(a => a.State())));
        app.MapGet("/agents/{name}", (string name) => With(fleet, name, a => Results.Json(a.State())));
        app.MapPost("/agents/{name}/fail", (string name) => Switch(fleet, name, AgentMode.Failed));
        app.MapPost("/agents/{name}/hang", (string name) => Switch(fleet, name, AgentMode.Hung));
        app.MapPost("/agents/{name}/recover", (string name) => Switch(fleet, name, AgentMode.Running));
        app.MapPost("/agents/{name}/slow", (string name, int? delayMs) => delayMs is > 0 and <= 600_000
            ? Switch(fleet, name, AgentMode.Slow, delayMs.Value)
            : Results.Text("delayMs: give the delay in milliseconds (1-600000), e.g. ?delayMs=500\n", statusCode: StatusCodes.Status400BadRequest));
        app.MapPost("/agents/{name}/restart", async (string name) =>
        {
            var agent = fleet.Named(name);
            if (agent is null)
            {
                return Unknown(fleet, name);
            }
            var error = await agent.RestartAsync();
            return error is null
                ? Results.Json(agent.State())
                : Results.Text($"agent {name} did not start: {error}\n", statusCode: StatusCodes.Status500InternalServerError);
        });
    }

    private static IResult Switch(Fleet fleet, string name, AgentMode mode, int delayMs = 0) =>
        With(fleet, name, a => a.Switch(mode, delayMs) is { } refused
            ? Results.Text(refused + "\n", statusCode: StatusCodes.Status409Conflict)
            : Results.Json(a.State()));

    private static IResult With(Fleet fleet, string name, Func<DemoAgent, IResult> act) =>
        fleet.Named(name) is { } agent ? act(agent) : Unknown(fleet, name);

    private static IResult Unknown(Fleet fleet, string name) =>
        Results.Text($"no agent '{name}' in this fleet ({fleet.Agents.Count} agents; GET /agents lists them)\n", statusCode: StatusCodes.Status404NotFound);
}
