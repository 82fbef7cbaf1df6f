using System.Text.Json.Nodes;
using Resilience.Contracts.Files;
using Resilience.Model;
using Resilience.Providers.Files;

namespace Resilience.Tests.Files;

/// <summary>Check runs the checker a file names on its content, with the service's own tools, before anything is written.</summary>
public sealed class FileValidationTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("resilience-validate-");
    private readonly FileProvider _provider = new();

    public void Dispose() => _dir.Delete(recursive: true);

    private string Failure(string validator, string content, bool secret = false)
    {
        var path = Path.Combine(_dir.FullName, "svc", "config");
        var inputs = new JsonObject
        {
            ["path"] = path,
            ["content"] = secret ? Secret.Wrap(content) : content,
            ["validate"] = validator,
            ["template"] = "templates/x.sbn",
        };
        var check = _provider.Check(new Resource { Stack = "t", Type = FileProvider.FileType, Name = "f", Inputs = inputs });
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)), "Check wrote where the service reads");
        return string.Join("; ", check.Failures.Select(f => f.ToString()));
    }

    [Fact]
    public void Promtool_refuses_a_scrape_timeout_above_the_interval_naming_the_file_and_template_not_the_temp_copy()
    {
        var failure = Failure(FileValidators.PrometheusConfig, "global:\n  scrape_interval: 15s\n  scrape_timeout: 1m\n");
        Assert.Contains(Path.Combine(_dir.FullName, "svc", "config") + " (rendered from templates/x.sbn) refused by promtool:", failure);
        Assert.Contains("global scrape timeout greater than scrape interval", failure);
        Assert.DoesNotContain("resilience-check-", failure);
    }

    [Fact]
    public void A_config_naming_its_rules_by_a_glob_is_accepted_alone()
    {
        Assert.Equal("", Failure(FileValidators.PrometheusConfig, "global:\n  scrape_interval: 15s\nrule_files:\n  - rules/*.yml\n"));
    }

    [Fact]
    public void Promtool_refuses_a_rule_whose_expression_does_not_parse()
    {
        Assert.Contains("could not parse expression", Failure(FileValidators.PrometheusRules, "groups:\n  - name: a\n    rules:\n      - alert: X\n        expr: 'up =='\n"));
        Assert.Equal("", Failure(FileValidators.PrometheusRules, "groups:\n  - name: a\n    rules:\n      - alert: X\n        expr: up == 0\n"));
    }

    [Fact]
    public void Nats_server_refuses_a_config_that_does_not_parse_and_a_secret_one_is_checked_too()
    {
        Assert.Contains("nats-server: Parse error on line 2", Failure(FileValidators.NatsConfig, "listen: 127.0.0.1:4222\nfoo bar baz {\n", secret: true));
        Assert.Equal("", Failure(FileValidators.NatsConfig, "listen: 127.0.0.1:4222\n", secret: true));
    }

    [Fact]
    public void An_agent_file_that_is_not_yaml_is_refused_with_its_line()
    {
        Assert.Contains("refused by the YAML parser: line 2:", Failure(FileValidators.Yaml, "hub: central\n  bad: [\n"));
        Assert.Equal("", Failure(FileValidators.Yaml, "hub: central\n"));
    }

    [Fact]
    public void An_unknown_validator_is_an_input_failure()
    {
        Assert.Contains("validate: 'promtol' is not a validator", Failure("promtol", "x"));
    }
}
