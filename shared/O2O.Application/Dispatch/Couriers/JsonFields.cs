using System.Text.Json;

namespace O2O.Application.Dispatch.Couriers;

public static class JsonFields
{
    /// <summary>A field as text, whether the platform sent it as a string or a number; null when absent.</summary>
    public static string? Text(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;
}
