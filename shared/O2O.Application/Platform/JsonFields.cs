using System.Globalization;
using System.Text.Json;

namespace O2O.Application.Platform;

/// <summary>Reading partners' JSON, whose fields come as strings or numbers and whose bodies may be anything.</summary>
public static class JsonFields
{
    /// <summary>The body as a JSON object, or null when it is not one.</summary>
    public static JsonElement? Parse(string body)
    {
        try
        {
            var root = JsonDocument.Parse(body).RootElement;
            return root.ValueKind == JsonValueKind.Object ? root : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A field as text, whether sent as a string or a number; null when absent or when <paramref name="body"/> is not an object.</summary>
    public static string? Text(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    /// <summary>A decimal number, sent as a string or a number; null when absent or not a number.</summary>
    public static double? Number(JsonElement body, string name) =>
        double.TryParse(Text(body, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
