using Resilience.Secrets;
using Resilience.Stack.Config;

namespace Resilience.Operations.Rollout;

/// <summary>Moves a stack file to a stage with the editor `config set` uses: only those keys' lines change, comments stay.</summary>
public static class RolloutStackFile
{
    public static void Apply(StackConfig config, RolloutStage stage)
    {
        var editor = StackFileEditor.Load(config.StackFile);
        foreach (var (key, value) in stage.ConfigValues) editor.Set($"{config.Project}:{key}", value);
        editor.Save();
    }
}
