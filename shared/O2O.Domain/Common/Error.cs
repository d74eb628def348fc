namespace O2O.Domain.Common;

/// <summary>An expected failure a caller can act on; the HTTP layer maps <see cref="Code"/> to a status.</summary>
public sealed record Error(string Code, string Detail, IReadOnlyDictionary<string, string[]>? FieldErrors = null)
{
    public static Error NotFound(string detail) => new(ErrorCodes.NotFound, detail);

    public static Error Unauthorized(string detail) => new(ErrorCodes.Unauthorized, detail);

    public static Error Conflict(string detail) => new(ErrorCodes.Conflict, detail);

    public static Error Validation(string field, string message) =>
        new ValidationErrors().Add(field, message).ToError();
}
