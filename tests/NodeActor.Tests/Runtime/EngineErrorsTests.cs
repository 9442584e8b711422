using System.Net;
using Docker.DotNet;
using Sched.NodeActor.Runtime;

namespace Sched.NodeActor.Tests.Runtime;

/// <summary>crun words a missing command differently from runc (which the real-podman tests meet on this machine).</summary>
public sealed class EngineErrorsTests
{
    [Fact]
    public void Crun_s_missing_executable_reads_as_the_command_not_found()
    {
        var body = """{"cause":"OCI runtime attempted to invoke a command that was not found","message":"crun: executable file `nosuch` not found in $PATH: No such file or directory: OCI runtime attempted to invoke a command that was not found","response":500}""";

        Assert.Equal("command \"nosuch\" not found", EngineErrors.CommandProblem(new DockerApiException(HttpStatusCode.InternalServerError, body)));
    }

    [Fact]
    public void Any_other_engine_error_is_no_command_problem()
    {
        var body = """{"cause":"no such file or directory","message":"statfs /data/in: no such file or directory","response":500}""";

        Assert.Null(EngineErrors.CommandProblem(new DockerApiException(HttpStatusCode.InternalServerError, body)));
    }
}
