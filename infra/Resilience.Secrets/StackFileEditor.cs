using System.Text;
using Resilience.Platform;
using Resilience.Secrets.Yaml;

namespace Resilience.Secrets;

/// <summary>
/// Edits a Pulumi.&lt;stack&gt;.yaml in place: only the lines of the key being changed are rewritten, every other
/// line (comments, blank lines, other keys, line endings) stays byte-identical. Values are written as YAML strings.
/// </summary>
public sealed class StackFileEditor
{
    private const int DefaultStep = 2;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private readonly List<StackLine> _lines;
    private readonly string _newline;
    private readonly bool _hasBom;
    private byte[]? _onDisk;

    private StackFileEditor(string path, string text, bool hasBom, byte[]? onDisk)
    {
        Path = path;
        _lines = StackLine.Split(text);
        _newline = _lines.Select(l => l.Ending).FirstOrDefault(e => e.Length > 0) ?? "\n";
        _hasBom = hasBom;
        _onDisk = onDisk;
    }

    public string Path { get; }

    /// <summary>The file's content as it would be saved.</summary>
    public string Text => string.Concat(_lines.Select(l => l.Text + l.Ending));

    /// <summary>The top-level encryptionsalt, or null when the stack has none.</summary>
    public string? EncryptionSalt => TopLevelValue(StackSecrets.EncryptionSaltKey);

    /// <summary>The top-level secretsprovider, or null when the stack names none.</summary>
    public string? SecretsProvider => TopLevelValue(StackSecrets.SecretsProviderKey);

    public IReadOnlyList<string> ConfigKeys => Config()?.Entries.Select(e => e.Line.Key).ToList() ?? [];

    /// <summary>Opens a stack file; a file that does not exist yet starts empty and is created by <see cref="Save"/>.</summary>
    public static StackFileEditor Load(string path)
    {
        if (!File.Exists(path)) return new StackFileEditor(path, "", hasBom: false, onDisk: null);
        var bytes = File.ReadAllBytes(path);
        var hasBom = bytes.AsSpan().StartsWith(Bom);
        try
        {
            return new StackFileEditor(path, StrictUtf8.GetString(bytes, hasBom ? Bom.Length : 0, bytes.Length - (hasBom ? Bom.Length : 0)), hasBom, bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new StackFileException(path, "is not valid UTF-8", e);
        }
    }

    /// <summary>Sets a plain config value: <c>key: value</c>, quoted when YAML would read it as anything but this string.</summary>
    public void Set(string key, string value) =>
        Put(key, (indent, keyText, comment) => [$"{indent}{keyText} {YamlScalar.Quote(value)}{comment}"]);

    /// <summary>Sets a number, written plain (YAML reads it back as this number).</summary>
    public void Set(string key, long value) =>
        Put(key, (indent, keyText, comment) => [$"{indent}{keyText} {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}{comment}"]);

    /// <summary>Sets a boolean, written plain as true or false.</summary>
    public void Set(string key, bool value) =>
        Put(key, (indent, keyText, comment) => [$"{indent}{keyText} {(value ? "true" : "false")}{comment}"]);

    /// <summary>Sets a secret config value in Pulumi's form: <c>key:</c> then <c>secure: v1:…</c> one level deeper.</summary>
    public void SetSecure(string key, string ciphertext)
    {
        try
        {
            PassphraseCrypter.CheckFormat(ciphertext);
        }
        catch (CorruptCiphertextException e)
        {
            throw new StackFileException(Path, $"'{key}': refusing to store a malformed secure value: {e.Message}", e);
        }
        Put(key, (indent, keyText, comment) =>
            [$"{indent}{keyText}{comment}", $"{indent}{new string(' ', Math.Max(indent.Length, DefaultStep))}secure: {YamlScalar.Quote(ciphertext)}"]);
    }

    /// <summary>Encrypts and sets a secret, recording the stack's new encryptionsalt when this is its first secret.</summary>
    public void SetSecret(string key, string plaintext, StackSecrets secrets)
    {
        var ciphertext = secrets.Encrypt(key, plaintext);
        var salt = secrets.EncryptionSalt!;
        var current = EncryptionSalt;
        if (current is null) SetEncryptionSalt(salt);
        else if (current != salt)
        {
            throw new StackFileException(Path, $"'{key}': the secrets were opened with another encryptionsalt than the file's");
        }
        SetSecure(key, ciphertext);
    }

    /// <summary>Removes a config key and its whole value; false when the key was not there.</summary>
    public bool Remove(string key)
    {
        var section = Config();
        if (section?.Find(key) is not { } entry) return false;
        var lastEnding = _lines[entry.End - 1].Ending;
        _lines.RemoveRange(entry.Start, entry.End - entry.Start);
        if (lastEnding.Length == 0 && entry.Start > 0) _lines[entry.Start - 1] = _lines[entry.Start - 1] with { Ending = "" };
        if (section.Entries.Count == 1 && section.HeaderLine.Value.Length == 0)
        {
            // An empty block would read as null; "{}" keeps config a map for every reader.
            ReplaceText(section.Header, $"{section.HeaderLine.KeyText} {{}}{Spaced(section.HeaderLine.Comment)}");
        }
        return true;
    }

    /// <summary>Sets the top-level encryptionsalt, adding it just before the config section when it is new.</summary>
    public void SetEncryptionSalt(string encryptionSalt)
    {
        var text = $"{StackSecrets.EncryptionSaltKey}: {YamlScalar.Quote(encryptionSalt)}";
        if (TopLevel.Find(_lines, StackSecrets.EncryptionSaltKey) is var (index, line))
        {
            ReplaceText(index, text + Spaced(line.Comment));
            return;
        }
        var at = TopLevel.Find(_lines, ConfigSection.Name) is var (config, _) ? AboveLeadingComments(config) : _lines.Count;
        Insert(at, [text]);
    }

    /// <summary>Writes the file atomically; refuses when someone changed it on disk after it was loaded.</summary>
    public void Save()
    {
        byte[]? current = File.Exists(Path) ? File.ReadAllBytes(Path) : null;
        var unchanged = current is null ? _onDisk is null : _onDisk is not null && current.AsSpan().SequenceEqual(_onDisk);
        if (!unchanged) throw new StackFileException(Path, "was changed by someone else since it was read; nothing written");

        var body = StrictUtf8.GetBytes(Text);
        var bytes = _hasBom ? [.. Bom, .. body] : body;
        AtomicFile.Write(Path, bytes);
        _onDisk = bytes;
    }

    private delegate string[] EntryWriter(string indent, string keyText, string comment);

    private void Put(string key, EntryWriter write)
    {
        var section = Config() ?? AppendConfig();
        if (section.HeaderLine.Value.Length > 0)
        {
            ReplaceText(section.Header, section.HeaderLine.KeyText + Spaced(section.HeaderLine.Comment));
        }
        if (section.Find(key) is { } entry)
        {
            var lastEnding = _lines[entry.End - 1].Ending;
            var lines = write(new string(' ', section.KeyIndent), entry.Line.KeyText, Spaced(entry.Line.Comment));
            _lines.RemoveRange(entry.Start, entry.End - entry.Start);
            Insert(entry.Start, lines, lastEnding.Length == 0);
            return;
        }
        var indent = new string(' ', section.KeyIndent > 0 ? section.KeyIndent : DefaultStep);
        var at = section.Entries.Count > 0 ? section.Entries[^1].End : section.Header + 1;
        Insert(at, write(indent, YamlScalar.Quote(key) + ":", ""));
    }

    private ConfigSection AppendConfig()
    {
        Insert(_lines.Count, [ConfigSection.Name + ":"]);
        return Config()!;
    }

    private ConfigSection? Config() => ConfigSection.Read(_lines, Path);

    private string? TopLevelValue(string name)
    {
        if (TopLevel.Find(_lines, name) is not var (index, line)) return null;
        try
        {
            return YamlScalar.Unquote(line.Value);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new StackFileException(Path, $"line {index + 1}: '{name}' has a malformed quoted value", e);
        }
    }

    /// <summary>Keeps a comment block that introduces the line at <paramref name="index"/> attached to it.</summary>
    private int AboveLeadingComments(int index)
    {
        while (index > 0 && _lines[index - 1].IsComment && _lines[index - 1].Indent == 0) index--;
        return index;
    }

    private void ReplaceText(int index, string text) => _lines[index] = _lines[index] with { Text = text };

    /// <param name="atEndOfFileWithoutNewline">The lines replace a block that ended the file without a final newline.</param>
    private void Insert(int index, string[] texts, bool atEndOfFileWithoutNewline = false)
    {
        var keepNoFinalNewline = atEndOfFileWithoutNewline ||
            (index == _lines.Count && _lines.Count > 0 && _lines[^1].Ending.Length == 0);
        if (index == _lines.Count && _lines.Count > 0 && _lines[^1].Ending.Length == 0)
        {
            _lines[^1] = _lines[^1] with { Ending = _newline };
        }
        var added = texts.Select((t, i) => new StackLine(t, keepNoFinalNewline && i == texts.Length - 1 ? "" : _newline));
        _lines.InsertRange(index, added);
    }

    private static string Spaced(string? comment) => comment is null ? "" : " " + comment;
}
