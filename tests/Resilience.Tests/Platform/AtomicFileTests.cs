using Resilience.Platform;

namespace Resilience.Tests.Platform;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("resilience-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string[] Leftovers() => Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories);

    [Fact]
    public void Writes_the_content_with_the_mode_asked_and_leaves_no_temp_file()
    {
        var path = Path.Combine(_dir, "sub", "secret.yaml");
        AtomicFile.Write(path, "first"u8, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal("first", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        AtomicFile.Write(path, "second"u8, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.Equal("second", File.ReadAllText(path));
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(path));
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void Without_a_mode_a_replaced_file_keeps_its_own()
    {
        var path = Path.Combine(_dir, "Pulumi.pc2.yaml");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        AtomicFile.Write(path, "new"u8);
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void A_failed_rename_keeps_what_was_there_and_removes_its_temp_file()
    {
        // A directory in the file's place: the rename over it fails, as root too.
        var path = Path.Combine(_dir, "state.json");
        Directory.CreateDirectory(Path.Combine(path, "inside"));
        Assert.ThrowsAny<IOException>(() => AtomicFile.Write(path, "new"u8));
        Assert.True(Directory.Exists(Path.Combine(path, "inside")));
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void The_owner_is_set_when_asked()
    {
        var path = Path.Combine(_dir, "owned");
        var me = Posix.OwnerOf(_dir);
        AtomicFile.Write(path, "x"u8, UnixFileMode.UserRead, me);
        Assert.Equal(me, Posix.OwnerOf(path));
    }
}
