namespace Resilience.Contracts.Files;

/// <summary>The checkers a <see cref="FileInputs.Validator"/> can name: each is the service's own, run before the file is written.</summary>
public static class FileValidators
{
    /// <summary>`promtool check config`; the rule files it names are checked as files of their own.</summary>
    public const string PrometheusConfig = "promtool-config";

    /// <summary>`promtool check rules`.</summary>
    public const string PrometheusRules = "promtool-rules";

    /// <summary>`nats-server -t -c`.</summary>
    public const string NatsConfig = "nats-server";

    /// <summary>`amtool check-config`.</summary>
    public const string AlertmanagerConfig = "amtool-config";

    /// <summary>Parsed as YAML.</summary>
    public const string Yaml = "yaml";

    public static readonly IReadOnlyList<string> All = [PrometheusConfig, PrometheusRules, NatsConfig, AlertmanagerConfig, Yaml];
}
