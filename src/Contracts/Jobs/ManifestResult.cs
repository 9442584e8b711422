using System.Collections.Immutable;

namespace Sched.Contracts.Jobs;

/// <summary>The outcome of reading a manifest: a spec, or every problem found in it.</summary>
public sealed record ManifestResult(JobSpec? Spec, ImmutableArray<FieldError> Errors)
{
    public bool IsValid => Spec is not null && Errors.IsEmpty;
}

/// <summary>
/// One problem with one manifest field. <paramref name="Field"/> is its dotted path (<c>resources.memory</c>,
/// <c>placement.constraints[1]</c>), or <c>manifest</c> when the text itself cannot be read.
/// </summary>
public sealed record FieldError(string Field, string Message);
