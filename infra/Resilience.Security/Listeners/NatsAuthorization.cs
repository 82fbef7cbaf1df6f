using System.Text;

namespace Resilience.Security.Listeners;

/// <summary>The subjects a NATS user may publish to and subscribe to (wildcards allowed); nothing else.</summary>
public sealed record NatsPermissions(IReadOnlyList<string> PublishAllow, IReadOnlyList<string> SubscribeAllow);

/// <summary>A NATS user: its password only as a bcrypt hash, its permissions (null: everything, for the operator's
/// own tool that creates streams).</summary>
public sealed record NatsUser(string User, string BcryptPassword, NatsPermissions? Permissions)
{
    public override string ToString() => $"NatsUser {{ User = {User}, Permissions = {Permissions} }}";
}

/// <summary>
/// The <c>authorization { users = [...] }</c> block of nats-server. A client that names no user, or a wrong password,
/// is refused; one that publishes or subscribes outside its permissions gets a permissions violation and the message
/// is dropped. Several users with the same role are the rotation: old and new both connect during the switch.
/// </summary>
public sealed record NatsAuthorization(IReadOnlyList<NatsUser> Users)
{
    public string Render()
    {
        if (Users.Count == 0) throw new ArgumentException("authorization: at least one user (an empty list would let anyone in)");
        var duplicate = Users.GroupBy(u => u.User).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"authorization.users: '{duplicate.Key}' is listed twice");
        var builder = new StringBuilder("authorization {\n  users = [\n");
        foreach (var user in Users)
        {
            if (!user.BcryptPassword.StartsWith("$2", StringComparison.Ordinal))
            {
                throw new ArgumentException($"authorization.users.{user.User}: the password is not a bcrypt hash (a plain password must never be written here)");
            }
            builder.Append("    { user: ").Append(NatsConf.Quote(user.User)).Append(", password: ").Append(NatsConf.Quote(user.BcryptPassword));
            if (user.Permissions is { } p)
            {
                builder.Append(",\n      permissions: { publish: { allow: ").Append(NatsConf.List(p.PublishAllow))
                    .Append(" }, subscribe: { allow: ").Append(NatsConf.List(p.SubscribeAllow)).Append(" } }");
            }
            builder.Append(" }\n");
        }
        return builder.Append("  ]\n}\n").ToString();
    }
}
