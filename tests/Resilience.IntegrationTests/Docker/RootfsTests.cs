using System.Formats.Tar;
using Resilience.Contracts.Docker;
using Resilience.Providers.Docker.Images;

namespace Resilience.Tests.Docker;

public sealed class RootfsTests
{
    private static readonly UnixFileMode Sticky1777 = (UnixFileMode)Convert.ToInt32("1777", 8);

    private static ImageBuild NatsBuild() => new()
    {
        Files = [new ImageFile { From = "/usr/sbin/nats-server", To = "/bin/nats-server" }],
        Dirs = [new ImageDirectory { Path = "/data", Mode = "1777" }],
        Entrypoint = ["/bin/nats-server"],
    };

    [Fact]
    public void Plan_holds_the_binary_its_libraries_as_real_files_users_and_a_sticky_tmp()
    {
        var plan = RootfsPlan.For(NatsBuild(), new LddResolver());
        var byPath = plan.Entries.ToDictionary(e => e.Path);

        Assert.Equal("/usr/sbin/nats-server", byPath["/bin/nats-server"].SourcePath);
        var loader = byPath["/lib64/ld-linux-x86-64.so.2"];
        Assert.Equal(RootfsEntryKind.File, loader.Kind);
        Assert.Null(new FileInfo(loader.SourcePath!).LinkTarget); // the symlink on the host was followed
        Assert.Contains(plan.Entries, e => e.Path.EndsWith("/libc.so.6", StringComparison.Ordinal));
        Assert.Equal(Sticky1777, byPath["/tmp"].Mode);
        Assert.Equal(Sticky1777, byPath["/data"].Mode);
        Assert.Contains("nobody:x:65534:65534", Encoding.ASCII.GetString(byPath["/etc/passwd"].Content!));
        Assert.Contains(":65534:", Encoding.ASCII.GetString(byPath["/etc/group"].Content!));
        foreach (var entry in plan.Entries.Where(e => e.Path.LastIndexOf('/') > 0))
        {
            Assert.Equal(RootfsEntryKind.Directory, byPath[entry.Path[..entry.Path.LastIndexOf('/')]].Kind);
        }
    }

    [Fact]
    public void Directory_copies_follow_symlinks_and_honour_excludes()
    {
        var root = Directory.CreateTempSubdirectory("docker-unit-");
        try
        {
            var real = Directory.CreateDirectory(Path.Combine(root.FullName, "real"));
            File.WriteAllText(Path.Combine(real.FullName, "a.txt"), "a");
            var tree = Directory.CreateDirectory(Path.Combine(root.FullName, "tree"));
            Directory.CreateSymbolicLink(Path.Combine(tree.FullName, "linked"), "../real");
            Directory.CreateSymbolicLink(Path.Combine(tree.FullName, "loop"), ".");
            Directory.CreateDirectory(Path.Combine(tree.FullName, "skip"));
            File.WriteAllText(Path.Combine(tree.FullName, "skip", "big.bin"), "big");

            var build = new ImageBuild { Files = [new ImageFile { From = tree.FullName, To = "/web", Exclude = ["skip"] }], Entrypoint = ["/x"] };
            var paths = RootfsPlan.For(build, new LddResolver()).Entries.Select(e => e.Path).ToList();

            Assert.Contains("/web/linked/a.txt", paths);
            Assert.DoesNotContain(paths, p => p.StartsWith("/web/skip", StringComparison.Ordinal));
            Assert.DoesNotContain(paths, p => p.StartsWith("/web/loop/", StringComparison.Ordinal));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Tar_carries_modes_and_bytes_owned_by_root()
    {
        var plan = RootfsPlan.For(NatsBuild(), new LddResolver());
        using var tar = new MemoryStream();
        await RootfsTarWriter.WriteAsync(plan, tar, CancellationToken.None);
        tar.Position = 0;

        var entries = new Dictionary<string, (UnixFileMode Mode, int Uid, long Length)>();
        using var reader = new TarReader(tar);
        while (reader.GetNextEntry() is { } entry) entries[entry.Name] = (entry.Mode, entry.Uid, entry.Length);

        Assert.Equal(Sticky1777, entries["tmp/"].Mode);
        Assert.Equal(new FileInfo("/usr/sbin/nats-server").Length, entries["bin/nats-server"].Length);
        Assert.True(entries["bin/nats-server"].Mode.HasFlag(UnixFileMode.UserExecute));
        Assert.All(entries.Values, e => Assert.Equal(0, e.Uid));
    }

    [Fact]
    public void Ldd_output_is_parsed_into_library_paths_and_missing_ones_fail()
    {
        const string output = """
            	linux-vdso.so.1 (0x00007ffd5a9f2000)
            	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f1b2c000000)
            	/lib64/ld-linux-x86-64.so.2 (0x00007f1b2c2f0000)
            """;
        Assert.Equal(["/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"], LddResolver.Parse(output, "/bin/x"));
        var error = Assert.Throws<InvalidOperationException>(() => LddResolver.Parse("\tlibfoo.so.1 => not found\n", "/bin/x"));
        Assert.Contains("libfoo.so.1", error.Message);
    }

    [Fact]
    public void Import_changes_spell_entrypoint_user_and_quoted_labels()
    {
        var build = new ImageBuild { Files = [], User = "65534:65534", Entrypoint = ["/bin/prometheus"], Cmd = ["--config.file=/etc/prometheus/prometheus.yml"] };
        var changes = Resilience.Providers.Docker.Images.ImageHandler.ImportChanges(build, new Dictionary<string, string> { ["resilience.urn"] = "urn:resilience:pc2::docker:image::prom" });
        Assert.Equal(
            ["ENTRYPOINT [\"/bin/prometheus\"]", "CMD [\"--config.file=/etc/prometheus/prometheus.yml\"]", "USER 65534:65534", "LABEL resilience.urn=\"urn:resilience:pc2::docker:image::prom\""],
            changes);
    }

    [Theory]
    [InlineData("resilience/prometheus:2.42.0", "resilience/prometheus", "2.42.0")]
    [InlineData("registry.local:5000/prom/prometheus", "registry.local:5000/prom/prometheus", null)]
    [InlineData("registry.local:5000/prom/prometheus:v2", "registry.local:5000/prom/prometheus", "v2")]
    public void Image_references_split_at_the_tag_colon_only(string name, string repository, string? tag)
    {
        Assert.Equal(new ImageReference(repository, tag), ImageReference.Parse(name));
        Assert.Equal(name, ImageReference.Parse(name).ToString());
    }

    [Fact]
    public void Content_hash_covers_build_inputs()
    {
        var plan = RootfsPlan.For(NatsBuild(), new LddResolver());
        var hasher = new ContentHasher(new FileHashCache(null));
        Assert.NotEqual(hasher.Compute(NatsBuild() with { User = "a" }, plan), hasher.Compute(NatsBuild() with { User = "b" }, plan));
        Assert.Equal(hasher.Compute(null, plan), hasher.Compute(null, plan));
    }
}
