using Resilience.Secrets;
using YamlDotNet.Core;

namespace Resilience.Tests.Secrets;

[Collection(PulumiVectorCollection.Name)]
public class StackFileEditorTests(PulumiVector vector)
{
    private const string Sample = """
        # Stack pc2: EdgeHub, Pushgateway and NATS on PC2
        # owner: ops

        encryptionsalt: v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==
        config:
          # rollout
          resilience:rollout-week: "2"   # current week
          resilience:edge-hub-port: "9100"
          resilience:grafana-password:
            secure: v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA==
          resilience:pilot-agents:
            - agent-01
            - agent-02
          resilience:labels:
            machine: pc2
            # a nested comment
            tier: edge

          # NATS
          resilience:nats-urls:
          - nats://127.0.0.1:4223
          - nats://127.0.0.2:4222
          resilience:motd: |
            hello
            # not a comment

            world
        # trailing top-level comment
        other: value

        """;

    /// <summary>The sample with exactly one occurrence of <paramref name="before"/> replaced: all else byte-identical.</summary>
    private static string SampleWith(string before, string after)
    {
        Assert.Single(Enumerable.Range(0, Sample.Length), i => string.CompareOrdinal(Sample, i, before, 0, before.Length) == 0);
        return Sample.Replace(before, after, StringComparison.Ordinal);
    }

    private static string Edit(string text, Action<StackFileEditor> edit)
    {
        using var stack = new TempStack(text);
        var editor = StackFileEditor.Load(stack.Path);
        edit(editor);
        editor.Save();
        return stack.Text;
    }

    [Fact]
    public void Reads_keys_and_encryption_salt()
    {
        using var stack = new TempStack(Sample);
        var editor = StackFileEditor.Load(stack.Path);

        Assert.Equal(
            ["resilience:rollout-week", "resilience:edge-hub-port", "resilience:grafana-password", "resilience:pilot-agents",
             "resilience:labels", "resilience:nats-urls", "resilience:motd"],
            editor.ConfigKeys);
        Assert.Equal(PulumiVector.EncryptionSalt, editor.EncryptionSalt);
        Assert.Equal(Sample, editor.Text);
    }

    [Fact]
    public void Setting_a_plain_value_rewrites_only_its_line_and_keeps_its_comment()
    {
        var text = Edit(Sample, e => e.Set("resilience:rollout-week", "3"));

        Assert.Equal(SampleWith("  resilience:rollout-week: \"2\"   # current week\n", "  resilience:rollout-week: \"3\" # current week\n"), text);
        Assert.Equal("3", StackFileYaml.Scalar(text, "resilience:rollout-week").Value);
    }

    [Fact]
    public void A_new_key_goes_after_the_last_key_of_the_section()
    {
        var text = Edit(Sample, e => e.Set("resilience:new-key", "hello world"));

        Assert.Equal(SampleWith("    world\n", "    world\n  resilience:new-key: hello world\n"), text);
        Assert.Equal("hello world", StackFileYaml.Scalar(text, "resilience:new-key").Value);
        Assert.Equal("hello\n# not a comment\n\nworld\n", StackFileYaml.Scalar(text, "resilience:motd").Value);
    }

    [Fact]
    public void A_list_value_is_replaced_whole_by_a_secure_value()
    {
        var secure = vector.Crypter.Encrypt("agents are secret now");

        var text = Edit(Sample, e => e.SetSecure("resilience:pilot-agents", secure));

        Assert.Equal(SampleWith(
            "  resilience:pilot-agents:\n    - agent-01\n    - agent-02\n",
            $"  resilience:pilot-agents:\n    secure: {secure}\n"), text);
        Assert.Equal(secure, StackFileYaml.Secure(text, "resilience:pilot-agents"));
    }

    [Fact]
    public void A_map_value_with_a_nested_comment_is_replaced_whole()
    {
        var text = Edit(Sample, e => e.Set("resilience:labels", "none"));

        Assert.Equal(SampleWith(
            "  resilience:labels:\n    machine: pc2\n    # a nested comment\n    tier: edge\n",
            "  resilience:labels: none\n"), text);
    }

    [Fact]
    public void A_list_at_the_keys_own_indent_is_replaced_and_the_comment_above_it_stays()
    {
        var text = Edit(Sample, e => e.Set("resilience:nats-urls", "nats://127.0.0.3:4222"));

        Assert.Equal(SampleWith(
            "  resilience:nats-urls:\n  - nats://127.0.0.1:4223\n  - nats://127.0.0.2:4222\n",
            "  resilience:nats-urls: nats://127.0.0.3:4222\n"), text);
        Assert.Contains("\n\n  # NATS\n  resilience:nats-urls: nats", text);
    }

    [Fact]
    public void A_secure_value_is_replaced_by_a_plain_one()
    {
        var text = Edit(Sample, e => e.Set("resilience:grafana-password", "public"));

        Assert.Equal(SampleWith(
            "  resilience:grafana-password:\n    secure: v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA==\n",
            "  resilience:grafana-password: public\n"), text);
    }

    [Fact]
    public void Removing_keys_removes_their_whole_block_only()
    {
        var removed = false;
        var text = Edit(Sample, e =>
        {
            removed = e.Remove("resilience:labels") && e.Remove("resilience:motd");
        });

        Assert.True(removed);
        var expected = SampleWith("  resilience:labels:\n    machine: pc2\n    # a nested comment\n    tier: edge\n", "")
            .Replace("  resilience:motd: |\n    hello\n    # not a comment\n\n    world\n", "", StringComparison.Ordinal);
        Assert.Equal(expected, text);
        Assert.Equal(5, StackFileYaml.Config(text).Children.Count);
    }

    [Fact]
    public void Removing_a_missing_key_changes_nothing()
    {
        using var stack = new TempStack(Sample);
        var editor = StackFileEditor.Load(stack.Path);

        Assert.False(editor.Remove("resilience:absent"));
        Assert.Equal(Sample, editor.Text);
    }

    [Fact]
    public void Removing_the_last_key_leaves_an_empty_map_and_setting_one_again_reopens_the_block()
    {
        const string original = "encryptionsalt: x\nconfig: # settings\n  resilience:only: one\nother: 1\n";

        var emptied = Edit(original, e => e.Remove("resilience:only"));
        var refilled = Edit(emptied, e => e.Set("resilience:again", "two"));

        Assert.Equal("encryptionsalt: x\nconfig: {} # settings\nother: 1\n", emptied);
        Assert.Empty(StackFileYaml.Config(emptied).Children);
        Assert.Equal("encryptionsalt: x\nconfig: # settings\n  resilience:again: two\nother: 1\n", refilled);
    }

    [Fact]
    public void A_missing_config_section_is_added_at_the_end()
    {
        var text = Edit("# pc2\nencryptionsalt: x\n", e => e.Set("resilience:rollout-week", "1"));

        Assert.Equal("# pc2\nencryptionsalt: x\nconfig:\n  resilience:rollout-week: \"1\"\n", text);
        Assert.Equal("1", StackFileYaml.Scalar(text, "resilience:rollout-week").Value);
    }

    [Fact]
    public void The_encryption_salt_goes_above_the_config_section_and_the_comments_that_introduce_it()
    {
        var text = Edit("# pc2\n\n# settings of the stack\nconfig:\n  a: b\n", e => e.SetEncryptionSalt(PulumiVector.EncryptionSalt));

        Assert.Equal($"# pc2\n\nencryptionsalt: {PulumiVector.EncryptionSalt}\n# settings of the stack\nconfig:\n  a: b\n", text);
        Assert.Equal(PulumiVector.EncryptionSalt, StackFileYaml.TopLevel(text, "encryptionsalt"));
    }

    [Fact]
    public void An_existing_encryption_salt_line_is_replaced_in_place()
    {
        var text = Edit("config: {}\nencryptionsalt: old # keep\n", e => e.SetEncryptionSalt("v1:new"));

        Assert.Equal("config: {}\nencryptionsalt: v1:new # keep\n", text);
    }

    [Fact]
    public void The_first_secret_of_a_new_stack_file_adds_the_encryption_salt_and_decrypts_after_reload()
    {
        using var stack = new TempStack();
        var cache = new DerivedKeyCache();
        string? Env(string name) => name == PassphraseEnvironment.Variable ? "first secret" : null;
        var editor = StackFileEditor.Load(stack.Path);

        editor.Set("resilience:rollout-week", "1");
        editor.SetSecret("resilience:nats-password", "s3cr3t: with # chars", StackSecrets.Open(stack.Path, editor.EncryptionSalt, getVariable: Env, cache: cache));
        editor.Save();

        var text = stack.Text;
        var salt = StackFileYaml.TopLevel(text, "encryptionsalt");
        Assert.StartsWith("encryptionsalt: v1:", text);
        var reloaded = StackSecrets.Open(stack.Path, salt, getVariable: Env, cache: cache);
        Assert.Equal("s3cr3t: with # chars", reloaded.Decrypt("resilience:nats-password", StackFileYaml.Secure(text, "resilience:nats-password")));
        Assert.Equal("1", StackFileYaml.Scalar(text, "resilience:rollout-week").Value);
    }

    [Fact]
    public void A_secret_on_a_stack_with_a_salt_uses_that_salt()
    {
        using var stack = new TempStack(Sample);
        var editor = StackFileEditor.Load(stack.Path);
        var secrets = StackSecrets.Open(stack.Path, editor.EncryptionSalt, getVariable: _ => PulumiVector.Passphrase, cache: vector.Cache);

        editor.SetSecret("resilience:edge-hub-port", "9100", secrets);

        Assert.False(secrets.EncryptionSaltCreated);
        Assert.Equal(PulumiVector.EncryptionSalt, editor.EncryptionSalt);
        Assert.Equal("9100", vector.Crypter.Decrypt(StackFileYaml.Secure(editor.Text, "resilience:edge-hub-port")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("true")]
    [InlineData("Off")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("2")]
    [InlineData("0x1F")]
    [InlineData("1e3")]
    [InlineData(".inf")]
    [InlineData("2024-01-01")]
    [InlineData("-1")]
    public void Values_yaml_would_not_read_as_this_string_are_quoted(string value)
    {
        var text = Edit(Sample, e => e.Set("resilience:v", value));

        var node = StackFileYaml.Scalar(text, "resilience:v");
        Assert.Equal(value, node.Value);
        Assert.NotEqual(ScalarStyle.Plain, node.Style);
    }

    [Theory]
    [InlineData(" leading and trailing ")]
    [InlineData("a: b")]
    [InlineData("# not a comment")]
    [InlineData("value # not a comment")]
    [InlineData("multi\nline\n")]
    [InlineData("quote \" and back\\slash")]
    [InlineData("tab\there")]
    [InlineData("- item")]
    [InlineData("[a, b]")]
    [InlineData("{a: b}")]
    [InlineData("*alias")]
    [InlineData("&anchor")]
    [InlineData("!tag")]
    [InlineData("'single'")]
    [InlineData("%percent")]
    [InlineData("@at")]
    [InlineData("`tick")]
    [InlineData("|pipe")]
    [InlineData(">fold")]
    [InlineData("ends with colon:")]
    [InlineData("日本語 ✓ é")]
    [InlineData("bell\u0007 del\u007f nel\u0085 ls\u2028")]
    [InlineData("https://example.com:9000/path?q=1")]
    [InlineData("resilience:value")]
    public void Any_string_reads_back_unchanged(string value)
    {
        var text = Edit(Sample, e => e.Set("resilience:v", value));

        Assert.Equal(value, StackFileYaml.Scalar(text, "resilience:v").Value);
    }

    [Fact]
    public void Keys_that_need_quotes_are_quoted_and_quoted_keys_are_found_again()
    {
        var first = Edit("config:\n  \"resilience:quoted\": a # c\n", e => e.Set("resilience:quoted", "b"));
        var second = Edit(first, e => e.Set("true", "c"));

        Assert.Equal("config:\n  \"resilience:quoted\": b # c\n", first);
        Assert.Equal("config:\n  \"resilience:quoted\": b # c\n  \"true\": c\n", second);
        Assert.Equal("c", StackFileYaml.Scalar(second, "true").Value);
    }

    [Fact]
    public void New_keys_follow_the_files_own_indentation()
    {
        var secure = vector.Crypter.Encrypt("x");

        var text = Edit("config:\n    a: b\n", e => e.SetSecure("resilience:s", secure));

        Assert.Equal($"config:\n    a: b\n    resilience:s:\n        secure: {secure}\n", text);
        Assert.Equal(secure, StackFileYaml.Secure(text, "resilience:s"));
    }

    [Fact]
    public void Line_endings_and_a_missing_final_newline_are_kept()
    {
        var text = Edit("# c\r\nconfig:\r\n  a: b\r\n  z: y", e =>
        {
            e.Set("z", "w");
            e.Set("k", "m");
        });

        Assert.Equal("# c\r\nconfig:\r\n  a: b\r\n  z: w\r\n  k: m", text);
    }

    [Fact]
    public void A_byte_order_mark_is_kept()
    {
        using var stack = new TempStack();
        File.WriteAllBytes(stack.Path, [0xEF, 0xBB, 0xBF, .. "config:\n  a: b\n"u8]);
        var editor = StackFileEditor.Load(stack.Path);

        editor.Set("a", "c");
        editor.Save();

        Assert.Equal([0xEF, 0xBB, 0xBF, .. "config:\n  a: c\n"u8], File.ReadAllBytes(stack.Path));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Saving_replaces_the_file_atomically_keeping_its_mode_and_leaving_no_temporary_file()
    {
        using var stack = new TempStack(Sample);
        File.SetUnixFileMode(stack.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var editor = StackFileEditor.Load(stack.Path);

        editor.Set("resilience:rollout-week", "4");
        editor.Save();

        Assert.Equal(["Pulumi.pc2.yaml"], stack.FolderEntries);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(stack.Path));
        Assert.Equal(editor.Text, stack.Text);
    }

    [Fact]
    public void Saving_refuses_when_the_file_changed_after_it_was_read()
    {
        using var stack = new TempStack(Sample);
        var editor = StackFileEditor.Load(stack.Path);
        File.AppendAllText(stack.Path, "late: edit\n");

        editor.Set("resilience:rollout-week", "4");
        var e = Assert.Throws<StackFileException>(editor.Save);

        Assert.Contains(stack.Path, e.Message);
        Assert.EndsWith("late: edit\n", stack.Text);
    }

    [Theory]
    [InlineData("config: {a: b}\n", "line 1")]
    [InlineData("config:\n  a: b\n  just text\n", "line 3")]
    [InlineData("config:\n    a: b\n  c: d\n", "line 3")]
    public void Layouts_the_editor_cannot_edit_safely_are_refused_with_the_line(string text, string line)
    {
        using var stack = new TempStack(text);
        var editor = StackFileEditor.Load(stack.Path);

        var e = Assert.Throws<StackFileException>(() => editor.Set("x", "y"));

        Assert.Contains(stack.Path, e.Message);
        Assert.Contains(line, e.Message);
        Assert.Equal(text, stack.Text);
    }

    [Fact]
    public void A_malformed_secure_value_is_refused_before_it_is_written()
    {
        using var stack = new TempStack(Sample);
        var editor = StackFileEditor.Load(stack.Path);

        var e = Assert.Throws<StackFileException>(() => editor.SetSecure("resilience:k", "not-a-ciphertext"));

        Assert.Contains("resilience:k", e.Message);
        Assert.Equal(Sample, editor.Text);
    }
}
