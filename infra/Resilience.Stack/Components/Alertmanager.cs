using System.Text.Encodings.Web;
using System.Text.Json;
using Resilience.Contracts.Docker;
using Resilience.Contracts.Files;
using Resilience.Model;
using Resilience.Stack.Config;
using Resilience.Stack.Rendering;

namespace Resilience.Stack.Components;

/// <summary>
/// The machine's Alertmanager, gossiping with the other machine's (both hubs send to both): an alert is notified once
/// while both run, and still once when either is gone. Its config routes by the rules' `level` label (the seeds'
/// escalation matrix) to receivers that are secrets, so with any set the rendered file is a secret file (0600). Like
/// nats-server and the runtime, which read 0600 files too, it runs as root: the Pulumi path writes files as whoever runs
/// it, with no owner to give them to a container user.
/// </summary>
public static class Alertmanager
{
    public const string Template = "alertmanager.yml.sbn";
    private const int ContainerPort = 9093;
    private const int ContainerClusterPort = 9094;

    public static Resource Declare(StackBuilder b, TemplateRenderer templates, StackImages images, Resource? network)
    {
        var s = b.Settings;
        var a = s.Alerts;
        var spec = new ContainerSpec(b, "alertmanager", StackImages.NameOf(images.Alertmanager));
        var config = templates.Render(Template, Model(s, secret => secret.Plaintext));
        // The reload hash is of the config with each secret's ciphertext in its place: state never holds a digest of a plaintext.
        var hash = StackBuilder.Hash([templates.Render(Template, Model(s, secret => secret.Ciphertext))]);
        // Secret (0600, masked in state) once a receiver's URL, key or password is set; before, it holds none. A secret
        // stored without a passphrase is only a fingerprint, which `refresh` cannot read back.
        var configFile = b.AddFile("alertmanager/alertmanager.yml", config, secret: a.Receivers.Secrets.Any(), validator: FileValidators.AlertmanagerConfig,
            template: templates.PathOf(Template));
        var data = DeclareData(b);
        var peer = Machines.Other(s.Machine);
        // Runs as root (below), which reads the 0600 key and web config whoever owns them.
        var web = WebListener.Declare(b, "alertmanager", "/etc/alertmanager", "alertmanager", owner: null);
        spec.Args(
                "--config.file=/etc/alertmanager/alertmanager.yml",
                "--storage.path=/alertmanager",
                $"--web.listen-address={spec.Listen(a.Port, ContainerPort)}",
                $"--web.external-url={Url(s, s.Machine)}",
                $"--cluster.listen-address={spec.Listen(a.ClusterPort, ContainerClusterPort)}",
                $"--cluster.advertise-address={s.This.Address}:{a.ClusterPort}",
                $"--cluster.peer={s.Machines[peer].Address}:{a.ClusterPort}",
                $"--cluster.peer-timeout={a.PeerTimeout}")
            .Port(a.Port, ContainerPort)
            .Port(a.ClusterPort, ContainerClusterPort)
            .BindDir(Path.Combine(b.HostDir, "alertmanager"), "/etc/alertmanager")
            .Volume(b.ContainerName("alertmanager-data"), "/alertmanager")
            // The upstream image's user is nobody, which could not read the 0600 config.
            .User("0:0")
            .Ready($"{Url(s, s.Machine)}/-/ready", web?.ProbeAuth)
            .ReloadByHttp($"{Url(s, s.Machine)}/-/reload", hash, web?.ProbeAuth, configFile);
        if (web is not null) spec.Args(web.WebConfigArgument);
        var dependsOn = new List<Resource> { images.Alertmanager, configFile, data };
        if (web is not null) dependsOn.AddRange(web.Files);
        if (network is not null) dependsOn.Add(network);
        var container = b.Add("alertmanager", spec.Build(), dependsOn, new ResourceOptions { DeleteBeforeReplace = true });
        b.Output("alertmanagerUrl", Url(s, s.Machine));
        b.DataPath(container, new DataEndpoint(peer, "docker:container", "alertmanager"), "gossip", "cluster gossip");
        return container;
    }

    /// <summary>Its silences and notification log: kept in Phase 1, where the Alertmanager is not deployed.</summary>
    public static Resource DeclareData(StackBuilder b) => b.Add("alertmanager-data", new VolumeInputs { Name = b.ContainerName("alertmanager-data") });

    public static string Url(StackSettings s, string machine) => $"{new Endpoints(s).WebScheme}://{s.Machines[machine].Address}:{s.Alerts.Port}";

    /// <summary>
    /// What a hub's config and rules need for alerting: both Alertmanagers (sent to and scraped), this machine's runtime
    /// and the other's (scraped: the other hub may be the one that is down), and the rules' `for:` durations.
    /// </summary>
    public static object HubModel(StackBuilder b)
    {
        var s = b.Settings;
        var peer = s.Machines[Machines.Other(s.Machine)].Address;
        string Sibling(string component, int hostPort, int containerPort) =>
            s.HostNetwork ? $"{s.This.Address}:{hostPort}" : $"{b.ContainerName(component)}:{containerPort}";
        return new
        {
            LocalAlertmanager = Sibling("alertmanager", s.Alerts.Port, ContainerPort),
            PeerAlertmanager = $"{peer}:{s.Alerts.Port}",
            Runtime = Sibling("runtime", s.Runtime.Port, 9095),
            PeerRuntime = $"{peer}:{s.Runtime.Port}",
            s.Alerts.DownFor,
            s.Alerts.FailoverFor,
            s.Alerts.BufferFor,
            s.Alerts.StreamLagMessages,
            s.Alerts.StreamLagFor,
        };
    }

    private static readonly JsonSerializerOptions Quoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A YAML double-quoted scalar (JSON's string syntax is one): any URL, key or password stays one value.</summary>
    private static string Quoted(string text) => JsonSerializer.Serialize(text, Quoting);

    private static object Model(StackSettings s, Func<SecretSetting, string> reveal)
    {
        var a = s.Alerts;
        var r = a.Receivers;
        string? Secret(SecretSetting? secret) => secret is null ? null : Quoted(reveal(secret));
        var escalation = r.PagerdutyEscalation ?? r.Pagerduty;
        return new
        {
            Machine = s.Machine,
            PeerMachine = Machines.Other(s.Machine),
            a.GroupWait,
            a.GroupInterval,
            a.RepeatInterval,
            Email = r.Email
                ? new
                {
                    To = Quoted(r.EmailTo),
                    From = Quoted(r.EmailFrom),
                    Smarthost = Quoted(r.SmtpSmarthost),
                    Username = r.SmtpUsername.Length > 0 ? Quoted(r.SmtpUsername) : null,
                    Password = Secret(r.SmtpPassword),
                }
                : null,
            // Level 1 component warning: ops-alerts and e-mail; level 2 service degradation: ops-critical and the pager;
            // level 3 critical system failure: incident response and the escalation pager.
            Receivers = new[]
            {
                Level(1, Secret(r.Webhook), Secret(r.Slack), r.SlackChannels[0], null, null, r.Email),
                Level(2, Secret(r.Webhook), Secret(r.Slack), r.SlackChannels[1], Secret(r.Pagerduty), "error", false),
                Level(3, Secret(r.Webhook), Secret(r.Slack), r.SlackChannels[2], Secret(escalation), "critical", false),
            },
        };
    }

    private static object Level(int level, string? webhook, string? slack, string channel, string? pagerduty, string? severity, bool email) => new
    {
        Level = level,
        Name = $"level-{level}",
        Webhook = webhook,
        SlackUrl = slack,
        SlackChannel = Quoted(channel),
        PagerdutyKey = pagerduty,
        PagerdutySeverity = severity,
        Email = email,
    };
}
