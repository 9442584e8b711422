using System.Diagnostics;
using Sched.NodeActor.Images;

namespace Sched.NodeActor.Tests.Runtime;

/// <summary>What pruning asks of the real podman: which images containers use, and a removal that is never forced.</summary>
public sealed class PodmanImageRemovalTests(PodmanFixture podman) : IClassFixture<PodmanFixture>
{
    private PodmanImageStore Store => podman.Runtime.Images;

    [Fact]
    public async Task A_copy_is_removed_by_its_name_but_not_while_a_container_uses_it()
    {
        var copy = $"localhost/sched-prune-copy-{Guid.NewGuid():N}:1";
        var context = Directory.CreateTempSubdirectory("sched-prune-").FullName;
        await File.WriteAllTextAsync(Path.Combine(context, "Containerfile"), $"FROM {PodmanFixture.TestImage}\n");
        await Podman("build", "-q", "-t", copy, "--label", $"sched.test={Guid.NewGuid():N}", context);
        Directory.Delete(context, recursive: true);
        var image = (await Store.InspectAsync(copy, CancellationToken.None))!;
        var container = await podman.Runtime.CreateAsync(TestContainers.Spec(["true"]) with { Image = copy }, CancellationToken.None);
        try
        {
            Assert.Contains(image.Id, await Store.InUseAsync(CancellationToken.None));
            await Assert.ThrowsAnyAsync<Exception>(() => Store.RemoveAsync(image.Id, copy, CancellationToken.None));
            Assert.NotNull(await Store.InspectAsync(copy, CancellationToken.None));
        }
        finally
        {
            await podman.Runtime.RemoveAsync(container, CancellationToken.None);
        }

        Assert.DoesNotContain(image.Id, await Store.InUseAsync(CancellationToken.None));
        await Store.RemoveAsync(image.Id, copy, CancellationToken.None);
        Assert.Null(await Store.InspectAsync(copy, CancellationToken.None));
        Assert.NotNull(await Store.InspectAsync(PodmanFixture.TestImage, CancellationToken.None));
    }

    private async Task Podman(params string[] args)
    {
        var info = new ProcessStartInfo("podman") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("--url");
        info.ArgumentList.Add($"unix://{podman.SocketPath}");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"podman {string.Join(' ', args)}: {error}");
    }
}
