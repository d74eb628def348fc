namespace O2O.Domain.Common;

/// <summary>
/// An expected failure a caller can act on; the HTTP layer maps <see cref="Code"/> to a status. <see cref="Facts"/> are what a
/// screen needs to say it in its own words (the tries left, the store a code belongs to): extension members of the problem.
/// </summary>
public sealed record Error(string Code, string Detail, IReadOnlyDictionary<string, string[]>? FieldErrors = null,
    IReadOnlyDictionary<string, object>? Facts = null)
{
    public static Error NotFound(string detail) => new(ErrorCodes.NotFound, detail);

    public static Error Unauthorized(string detail) => new(ErrorCodes.Unauthorized, detail);

    public static Error Conflict(string detail) => new(ErrorCodes.Conflict, detail);

    public static Error Validation(string field, string message) =>
        new ValidationErrors().Add(field, message).ToError();
}
