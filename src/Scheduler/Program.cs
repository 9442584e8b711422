using System.Runtime.InteropServices;
using Sched.Scheduler.Cli;

using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopping.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stopping.Cancel();
});

return await SchedCli.Create().RunAsync(args, stopping.Token);
