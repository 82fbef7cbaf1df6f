using System.Text.Json.Nodes;

namespace Resilience.Stack.Config;

/// <summary>A key declared in Pulumi.yaml's `config:` block: its type, default and whether it is secret.</summary>
public sealed record ConfigDeclaration(string Key, string Type, JsonNode? Default, bool Secret, string? Description, int Line);
