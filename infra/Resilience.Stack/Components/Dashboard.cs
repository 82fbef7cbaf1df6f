using Resilience.Contracts.Files;
using Resilience.Model;
using Resilience.Stack.Rendering;

namespace Resilience.Stack.Components;

/// <summary>The dashboard's files in the hub's config folder: what the hub's container serves and which rules it loads.</summary>
/// <param name="Rules">The recording rule of the stack's rollout stage (loaded by the hub, so part of its reload).</param>
/// <param name="RulesContent">Its rendered content, for the hub's reload hash.</param>
public sealed record DashboardFiles(Resource Page, Resource Library, Resource Rules, string RulesContent)
{
    public IReadOnlyList<Resource> All => [Page, Library, Rules];
}

/// <summary>
/// The dashboard of both machines, one page per machine served by its own hub: a Prometheus console template
/// (<c>templates/dashboard.html</c>, its blocks in <c>templates/dashboard.lib</c>). Chosen over a page in a container of its own because it adds no
/// service, no image and no dependency: the hub renders it on the server from its own data, so it works without
/// JavaScript and stays readable when the other machine is gone (the hub scrapes the other machine's hub, Pushgateway
/// and runtime itself and shows what no longer answers as unreachable). The stack's rollout stage reaches the page
/// as a recording rule (<c>resilience_stack_info</c>); a gate's verdict as the optional series <see cref="GateResultMetric"/>.
/// </summary>
public static class Dashboard
{
    public const string Page = "dashboard.html";
    public const string Library = "dashboard.lib";

    /// <summary>Where the hub's container finds the pages and libraries: its config folder is the component's host folder.</summary>
    public const string ConsolesPath = "/etc/prometheus/consoles";
    public const string LibrariesPath = "/etc/prometheus/console_libraries";

    /// <summary>
    /// The hook for the rollout gates: a gate run that pushes <c>resilience_gate_result{gate, week,
    /// result="go|no-go|inconclusive"} &lt;unix time of the verdict&gt;</c> to its machine's Pushgateway (any job) has
    /// its latest verdict shown in the page's rollout table; without it the page says no gate result is recorded.
    /// </summary>
    public const string GateResultMetric = "resilience_gate_result";

    public static string Url(Endpoints endpoints, string machine) => $"{endpoints.Hub(machine)}/consoles/{Page}";

    /// <param name="hubComponent">centralhub or edgehub: the folder mounted as the hub's /etc/prometheus.</param>
    /// <param name="migratedAgents">How many of this machine's agents the stack's rollout stage has migrated.</param>
    public static DashboardFiles Declare(StackBuilder b, TemplateRenderer templates, string hubComponent, int migratedAgents)
    {
        var s = b.Settings;
        var url = Url(new Endpoints(s), s.Machine);
        const string rulesTemplate = "dashboard.rules.yml.sbn";
        var rules = templates.Render(rulesTemplate, new
        {
            s.Machine,
            b.Stack,
            RolloutWeek = s.Week,
            s.MigrationBatches,
            MigratedAgents = migratedAgents,
            DashboardUrl = url,
        });
        var files = new DashboardFiles(
            b.AddFile($"{hubComponent}/consoles/{Page}", templates.Verbatim(Page), template: templates.PathOf(Page)),
            b.AddFile($"{hubComponent}/console_libraries/{Library}", templates.Verbatim(Library), template: templates.PathOf(Library)),
            b.AddFile($"{hubComponent}/rules/dashboard.rules.yml", rules, validator: FileValidators.PrometheusRules, template: templates.PathOf(rulesTemplate)),
            rules);
        b.Output("dashboardUrl", url);
        return files;
    }
}
