using System.Text.Json;
using System.Text.Json.Nodes;

namespace Resilience.Stack.Config;

/// <summary>
/// The value of <see cref="SecurityKeys.Credentials"/>: by role, the user, password and bcrypt hash every listener
/// checks, and during a rotation the retiring generation (still accepted, no longer presented). One document rather
/// than a key per role: the roles change together (a rotation is one edit, both stack files get one identical
/// value), the hash travels with its password (rendered configs stay stable), and a role added later needs no new
/// Pulumi.yaml key.
/// <code>{"users": {"operator": {"user": "operator-g1", "password": "…", "hash": "$2a$10$…"}, …}, "retiring": {…}}</code>
/// </summary>
public sealed record SecurityCredentials(
    IReadOnlyDictionary<string, UserCredential> Users,
    IReadOnlyDictionary<string, UserCredential> Retiring)
{
    private const string UsersMember = "users";
    private const string RetiringMember = "retiring";

    /// <summary>The roles of <paramref name="wanted"/> that have no user.</summary>
    public IReadOnlyList<string> Missing(IEnumerable<string> wanted) => [.. wanted.Where(r => !Users.ContainsKey(r))];

    public string ToJson() => new JsonObject
    {
        [UsersMember] = Members(Users),
        [RetiringMember] = Members(Retiring),
    }.ToJsonString();

    public override string ToString() => $"SecurityCredentials {{ {Users.Count} users, {Retiring.Count} retiring }}";

    /// <summary>Reads the document; a problem is reported through <paramref name="error"/> (which names the file and key).</summary>
    public static SecurityCredentials Parse(string json, Func<string, Exception> error)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            // The message would quote the text: never a secret in an error.
            throw error("is not a JSON document of users (made by `security init`)");
        }
        if (root is not JsonObject document || document[UsersMember] is not JsonObject)
            throw error($"expected a JSON object with a '{UsersMember}' map of roles");
        return new SecurityCredentials(Read(document, UsersMember, error), Read(document, RetiringMember, error));
    }

    private static Dictionary<string, UserCredential> Read(JsonObject document, string member, Func<string, Exception> error)
    {
        var result = new Dictionary<string, UserCredential>(StringComparer.Ordinal);
        switch (document[member])
        {
            case null:
                return result;
            case JsonObject roles:
                foreach (var (role, node) in roles)
                {
                    if (node is not JsonObject o) throw error($"{member}.{role}: expected an object with user, password and hash");
                    var user = Text(o, "user", member, role, error);
                    var password = Text(o, "password", member, role, error);
                    var hash = Text(o, "hash", member, role, error);
                    if (!user.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                        throw error($"{member}.{role}.user: '{user}' may hold only letters, digits, '-' and '_'");
                    if (!hash.StartsWith("$2", StringComparison.Ordinal) || hash.Length != 60)
                        throw error($"{member}.{role}.hash: not a bcrypt hash");
                    result[role] = new UserCredential(user, password, hash);
                }
                return result;
            default:
                throw error($"'{member}': expected a map of roles");
        }
    }

    private static string Text(JsonObject o, string name, string member, string role, Func<string, Exception> error) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw error($"{member}.{role}.{name}: missing or empty");

    private static JsonObject Members(IReadOnlyDictionary<string, UserCredential> users) => new(users
        .OrderBy(u => u.Key, StringComparer.Ordinal)
        .Select(u => KeyValuePair.Create(u.Key, (JsonNode?)new JsonObject
        {
            ["user"] = u.Value.User,
            ["password"] = u.Value.Password,
            ["hash"] = u.Value.PasswordHash,
        })));
}
