namespace Resilience.Stack.Config;

/// <summary>A secret config value: its plaintext for the rendered file, its ciphertext (public) for change detection.</summary>
public sealed record SecretSetting(string Plaintext, string Ciphertext);

/// <summary>
/// Where each level of the escalation matrix notifies. Every URL, key and password is a secret; an integration whose
/// secret is not set is left out, so an unconfigured level is a receiver that notifies nobody.
/// </summary>
/// <param name="Webhook">Notified at every level (the demo's route).</param>
/// <param name="PagerdutyEscalation">Paged at level 3; <paramref name="Pagerduty"/> when unset.</param>
public sealed record AlertReceiverSettings(
    SecretSetting? Webhook,
    SecretSetting? Slack, IReadOnlyList<string> SlackChannels,
    SecretSetting? Pagerduty, SecretSetting? PagerdutyEscalation,
    string EmailTo, string EmailFrom, string SmtpSmarthost, string SmtpUsername, SecretSetting? SmtpPassword)
{
    public bool Email => EmailTo.Length > 0 && SmtpSmarthost.Length > 0;

    public IEnumerable<SecretSetting> Secrets =>
        new[] { Webhook, Slack, Pagerduty, PagerdutyEscalation, SmtpPassword }.OfType<SecretSetting>();
}

/// <param name="PeerTimeout">How long the second Alertmanager of the cluster waits for the first's notification.</param>
/// <param name="DownFor">The `for:` of the down alerts (hub, Alertmanager, runtime, Pushgateway, NATS, agent).</param>
public sealed record AlertSettings(
    int Port, int ClusterPort, string Image, string PeerTimeout,
    string GroupWait, string GroupInterval, string RepeatInterval,
    string DownFor, string FailoverFor, string BufferFor, int StreamLagMessages, string StreamLagFor,
    AlertReceiverSettings Receivers)
{
    public static AlertSettings Read(TypedConfig c) => new(
        c.Port("alertmanagerPort"), c.Port("alertmanagerClusterPort"), c.PinnedImage("alertmanagerImage"),
        c.Duration("alertmanagerPeerTimeout"),
        c.Duration("alertGroupWait"), c.Duration("alertGroupInterval"), c.Duration("alertRepeatInterval"),
        c.Duration("alertDownFor"), c.Duration("alertFailoverFor"), c.Duration("alertBufferFor"),
        c.Int("alertStreamLagMessages", 1, int.MaxValue), c.Duration("alertStreamLagFor"),
        new AlertReceiverSettings(
            SecretUrl(c, "alertWebhookUrl"),
            SecretUrl(c, "alertSlackWebhookUrl"),
            [c.String("alertSlackLevel1Channel"), c.String("alertSlackLevel2Channel"), c.String("alertSlackLevel3Channel")],
            Secret(c, "alertPagerdutyKey"), Secret(c, "alertPagerdutyEscalationKey"),
            c.String("alertEmailTo"), c.String("alertEmailFrom"), c.String("alertSmtpSmarthost"), c.String("alertSmtpUsername"),
            Secret(c, "alertSmtpPassword")));

    /// <summary>Checked here, never by amtool, whose refusal would quote the URL (a secret) in the error.</summary>
    private static SecretSetting? SecretUrl(TypedConfig c, string key)
    {
        var secret = Secret(c, key);
        if (secret is not null && !(Uri.TryCreate(secret.Plaintext, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
            throw TypedConfig.Error(c.Config.Find(key)!, "is not an absolute http(s) URL (the value is a secret: not shown)");
        return secret;
    }

    private static SecretSetting? Secret(TypedConfig c, string key) =>
        c.SecretOrNull(key) is { } plaintext ? new SecretSetting(plaintext, c.Config.Find(key)!.Ciphertext!) : null;
}
