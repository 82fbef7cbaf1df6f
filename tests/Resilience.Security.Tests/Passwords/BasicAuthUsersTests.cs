namespace Resilience.Security.Tests.Passwords;

public sealed class BasicAuthUsersTests
{
    private static readonly Credential Pusher = Credential.Generate("pusher-g1");
    private static readonly BasicAuthUsers Users = new([new HashedUser(Pusher.User, "pusher", new BcryptHasher(4).Hash(Pusher.Password))]);

    [Fact]
    public void The_right_password_proves_the_user_again_and_again()
    {
        Assert.Equal("pusher", Users.Authenticate(Pusher.BasicAuthorization())?.Role);
        // The second time from the cache: the same answer.
        Assert.Equal("pusher", Users.Authenticate(Pusher.BasicAuthorization())?.Role);
    }

    [Fact]
    public void A_wrong_password_an_unknown_user_or_no_basic_auth_proves_nothing_even_after_a_good_one()
    {
        Assert.NotNull(Users.Authenticate(Pusher.BasicAuthorization()));
        Assert.Null(Users.Authenticate(new Credential(Pusher.User, Pusher.Password[..^1]).BasicAuthorization()));
        Assert.Null(Users.Authenticate(new Credential(Pusher.User, Pusher.Password + "x").BasicAuthorization()));
        Assert.Null(Users.Authenticate(new Credential("intruder", Pusher.Password).BasicAuthorization()));
        Assert.Null(Users.Authenticate(null));
        Assert.Null(Users.Authenticate("Bearer " + Pusher.Password));
        Assert.Null(Users.Authenticate("Basic not-base64!"));
        Assert.Null(Users.Authenticate("Basic " + Convert.ToBase64String("no-colon"u8.ToArray())));
    }

    [Fact]
    public void A_plain_password_in_place_of_a_hash_is_refused() =>
        Assert.Throws<ArgumentException>(() => new BasicAuthUsers([new HashedUser("op", "operator", "hunter2")]));
}
