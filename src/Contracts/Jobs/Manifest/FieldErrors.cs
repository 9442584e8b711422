using System.Collections.Immutable;

namespace Sched.Contracts.Jobs.Manifest;

/// <summary>Collects problems while every field is read, so one pass reports them all.</summary>
internal sealed class FieldErrors
{
    private readonly ImmutableArray<FieldError>.Builder errors = ImmutableArray.CreateBuilder<FieldError>();

    public bool IsEmpty => errors.Count == 0;

    public void Add(string field, string message) => errors.Add(new FieldError(field, message));

    public ImmutableArray<FieldError> ToImmutable() => errors.ToImmutable();
}
