namespace Resilience.Security.Tests.Passwords;

public sealed class PasswordTests
{
    [Fact]
    public void A_bcrypt_hash_is_the_2a_form_at_the_cost_asked_and_verifies_only_its_password()
    {
        var hash = new BcryptHasher(4).Hash("correct horse");
        Assert.StartsWith("$2a$04$", hash, StringComparison.Ordinal);
        Assert.Equal(60, hash.Length);
        Assert.True(BcryptHasher.Verify("correct horse", hash));
        Assert.False(BcryptHasher.Verify("correct horsE", hash));
        Assert.NotEqual(hash, new BcryptHasher(4).Hash("correct horse")); // salted
        Assert.StartsWith("$2a$10$", new BcryptHasher().Hash("x"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(32)]
    public void A_cost_outside_bcrypts_range_is_refused(int cost) => Assert.Throws<ArgumentOutOfRangeException>(() => new BcryptHasher(cost));

    [Fact]
    public void Generated_passwords_are_32_letters_and_digits_each_different_and_never_printed()
    {
        var a = Credential.Generate("agent-pc2");
        var b = Credential.Generate("agent-pc2");
        Assert.Equal(32, a.Password.Length);
        Assert.All(a.Password, c => Assert.Contains(c, Credential.Alphabet));
        Assert.NotEqual(a.Password, b.Password);
        Assert.DoesNotContain(a.Password, a.ToString(), StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Credential.RandomPassword(8));
    }

    [Fact]
    public void The_basic_authorization_header_is_base64_of_user_colon_password()
    {
        var header = new Credential("prometheus", "s3cret").BasicAuthorization();
        Assert.Equal("Basic " + Convert.ToBase64String("prometheus:s3cret"u8.ToArray()), header);
    }
}
