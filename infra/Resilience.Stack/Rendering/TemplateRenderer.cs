using Resilience.Stack.Config;
using Scriban;
using Scriban.Runtime;

namespace Resilience.Stack.Rendering;

/// <summary>Renders the operator's Scriban templates; a template error names the template file and line.</summary>
public sealed class TemplateRenderer(string templatesDir)
{
    private readonly Dictionary<string, Template> _parsed = new(StringComparer.Ordinal);

    /// <summary>The file a template name refers to.</summary>
    public string PathOf(string templateName) => Path.GetFullPath(Path.Combine(templatesDir, templateName));

    public string Render(string templateName, object model)
    {
        var path = Path.Combine(templatesDir, templateName);
        var template = Parse(path);
        var globals = new ScriptObject();
        globals.Import(model, renamer: member => StandardMemberRenamer.Rename(member.Name));
        var context = new TemplateContext { StrictVariables = true, MemberRenamer = member => StandardMemberRenamer.Rename(member.Name) };
        context.PushGlobal(globals);
        try
        {
            return template.Render(context);
        }
        catch (Scriban.Syntax.ScriptRuntimeException e)
        {
            throw new ConfigException(path, $"line {e.Span.Start.Line + 1}", $"template failed to render: {e.OriginalMessage}");
        }
    }

    /// <summary>A file of the templates folder deployed as it is (e.g. a Prometheus console template, whose Go template
    /// delimiters are Scriban's too).</summary>
    public string Verbatim(string templateName)
    {
        var path = PathOf(templateName);
        if (!File.Exists(path)) throw new ConfigException(path, "file", "template not found");
        return File.ReadAllText(path);
    }

    private Template Parse(string path)
    {
        if (_parsed.TryGetValue(path, out var cached)) return cached;
        if (!File.Exists(path)) throw new ConfigException(path, "file", "template not found");
        var template = Template.Parse(File.ReadAllText(path), path);
        if (template.HasErrors)
        {
            var first = template.Messages.First();
            throw new ConfigException(path, $"line {first.Span.Start.Line + 1}", $"template does not parse: {first.Message}");
        }
        _parsed[path] = template;
        return template;
    }
}
