using System.Security.Cryptography;
using System.Text;
using Resilience.Contracts;
using Resilience.Contracts.Files;
using Resilience.Model;
using Resilience.Platform;
using Resilience.Stack.Config;

namespace Resilience.Stack.Components;

/// <summary>Collects the resources and outputs that the components declare for one stack.</summary>
public sealed class StackBuilder(StackSettings settings, string projectDir)
{
    private readonly List<Resource> _resources = [];
    private readonly Dictionary<string, StackOutput> _outputs = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];
    private readonly List<DataPath> _dataPaths = [];

    public StackSettings Settings { get; } = settings;
    public string Stack => Settings.Stack;

    /// <summary>The project directory the program reads its inputs from.</summary>
    public string ProjectDir { get; } = Path.GetFullPath(projectDir);

    /// <summary>Absolute host directory of this stack's rendered files.</summary>
    public string HostDir { get; } = Path.GetFullPath(Path.Combine(projectDir, settings.HostRoot, settings.Stack));

    /// <summary>A resource of the type <typeparamref name="T"/> is the inputs of (<see cref="ResourceTypes"/>).</summary>
    public Resource Add<T>(string name, T inputs, IEnumerable<Resource>? dependsOn = null, ResourceOptions? options = null) where T : class
    {
        var resource = new Resource
        {
            Stack = Stack,
            Type = ResourceContract.Of(inputs.GetType()).Type ?? throw new ArgumentException($"{inputs.GetType().Name} is not a resource's inputs", nameof(inputs)),
            Name = name,
            Inputs = ContractJson.Write(inputs),
            DependsOn = (dependsOn ?? []).Select(d => d.Urn).Distinct().ToList(),
            Options = options ?? ResourceOptions.Default,
        };
        _resources.Add(resource);
        return resource;
    }

    /// <summary>A rendered host file; returns the resource and its content hash (for reload-on-change).</summary>
    /// <param name="validator">The checker its service runs (<see cref="FileValidators"/>): a content it refuses is never written.</param>
    /// <param name="template">The template file it is rendered from, named when the validator refuses the content.</param>
    /// <param name="takeover">For a file the machine may already have (an agent's config): <see cref="FileTakeover"/>.</param>
    /// <param name="owner">Numeric "uid:gid" of the container user that reads a secret file (0600), e.g. nobody's.</param>
    public Resource AddFile(string relativePath, string content, bool secret = false, IEnumerable<Resource>? dependsOn = null,
        string? validator = null, string? template = null, string? takeover = null, string? owner = null)
    {
        var inputs = new FileInputs
        {
            Path = Path.Combine(HostDir, relativePath),
            Content = new SecretText(content, secret),
            Mode = secret ? "0600" : "0644",
            Validator = validator,
            Template = template is null ? null : Path.GetRelativePath(ProjectDir, template),
            Takeover = takeover,
            Owner = owner,
        };
        return Add(relativePath, inputs, dependsOn);
    }

    public void Output(string key, string value, bool secret = false) => _outputs[key] = new StackOutput(value, secret);

    /// <summary>An output whose change between two applies the preview warns about (<paramref name="warnOnChange"/>, old -> new).</summary>
    public void WatchedOutput(string key, string value, string warnOnChange) => _outputs[key] = new StackOutput(value, WarnOnChange: warnOnChange);

    /// <summary>A warning every preview and up of this stack shows.</summary>
    public void Warn(string warning) => _warnings.Add(warning);

    /// <summary>Data flowing at run time from <paramref name="from"/> to another resource, on this machine or another.</summary>
    public void DataPath(Resource from, DataEndpoint to, string kind, string label) =>
        _dataPaths.Add(new DataPath(Here(from), to, kind, label));

    /// <summary>Data flowing at run time from a resource (on this machine or another) into <paramref name="to"/>.</summary>
    public void DataPath(DataEndpoint from, Resource to, string kind, string label) =>
        _dataPaths.Add(new DataPath(from, Here(to), kind, label));

    /// <summary>A resource of this stack as the end of a data path.</summary>
    public DataEndpoint Here(Resource resource) => new(Settings.Machine, resource.Type, resource.Name);

    /// <summary>Container names carry the stack, so two stacks can share one Docker engine.</summary>
    public string ContainerName(string component) => $"{Stack}-{component}";

    public static string Hash(IEnumerable<string> contents)
    {
        using var hash = ContentHash.OfFields();
        foreach (var c in contents) hash.Add(c);
        return hash.Tagged();
    }

    public ResourceGraph Build() => new(Stack, _resources, _outputs, _warnings, _dataPaths);
}
