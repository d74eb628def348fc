namespace O2O.Domain.Common;

/// <summary>Collects every problem with a request, per field, so a client can fix them all at once.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

    public bool IsEmpty => _byField.Count == 0;

    public ValidationErrors Add(string field, string message)
    {
        if (!_byField.TryGetValue(field, out var messages))
        {
            messages = [];
            _byField[field] = messages;
        }
        messages.Add(message);
        return this;
    }

    public ValidationErrors AddAll(ValidationErrors other)
    {
        foreach (var (field, messages) in other._byField)
            foreach (var message in messages) Add(field, message);
        return this;
    }

    public ValidationErrors Require<T>(string field, T? value) where T : struct
    {
        if (value is null) Add(field, "is required");
        return this;
    }

    public ValidationErrors RequireText(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, "is required");
        else if (value.Length > maxLength) Add(field, $"must be at most {maxLength} characters");
        return this;
    }

    public ValidationErrors Range(string field, long? value, long min, long max)
    {
        if (value is null) Add(field, "is required");
        else if (value < min || value > max) Add(field, $"must be between {min} and {max}");
        return this;
    }

    public ValidationErrors Range(string field, double? value, double min, double max)
    {
        if (value is null) Add(field, "is required");
        else if (double.IsNaN(value.Value) || value < min || value > max) Add(field, $"must be between {min} and {max}");
        return this;
    }

    public Error ToError()
    {
        var fields = _byField.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        var detail = "The request is not valid: " + string.Join("; ", fields.Select(f => $"{f.Key} {string.Join(", ", f.Value)}"));
        return new Error(ErrorCodes.ValidationFailed, detail, fields);
    }
}
