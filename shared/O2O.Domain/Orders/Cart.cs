using O2O.Domain.Common;
using O2O.Domain.Stores;

namespace O2O.Domain.Orders;

/// <summary>
/// A checkout request that passed validation: what to buy, how to get it, and whose link sold it
/// (<see cref="ShareCode"/>, an agent's share code, which binds the buyer to the agent; one that cannot be a code is dropped),
/// and when: the start of a slot (<see cref="SlotStart"/>), or as soon as possible (null).
/// </summary>
public sealed record Cart(IReadOnlyList<CartLine> Lines, Fulfillment Fulfillment, string? AgentCode, string? Note, string? ShareCode = null,
    DateTimeOffset? SlotStart = null)
{
    public const string AsSoonAsPossible = "asap";

    public const int MaxLines = 50;
    public const int MaxQuantity = 99;
    public const int MaxNoteLength = 200;
    public const int MaxAgentCodeLength = 32;

    public static Result<Cart> Create(CartInput input)
    {
        var errors = new ValidationErrors();
        var lines = ValidLines(input.Items, errors);
        var fulfillment = ValidFulfillment(input.Fulfillment, errors);
        if (input.AgentCode is not null && (input.AgentCode.Length > MaxAgentCodeLength || !Identifier.IsValid(input.AgentCode)))
            errors.Add("agentCode", $"must be 1 to {MaxAgentCodeLength} letters, digits, '-' or '_'");
        if (input.Note is not null && input.Note.Length > MaxNoteLength) errors.Add("note", $"must be at most {MaxNoteLength} characters");
        var slot = SlotStartOf(input.Fulfillment?.Slot, errors);
        if (!errors.IsEmpty) return errors.ToError();
        return new Cart(lines, fulfillment!, input.AgentCode,
            string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim(), Agents.ShareCodes.Usable(input.ShareCode), slot);
    }

    /// <summary>A slot's start as the buyer sends it back from the slot list: a moment with its offset, or "asap".</summary>
    private static DateTimeOffset? SlotStartOf(string? text, ValidationErrors errors)
    {
        if (text is null || text == AsSoonAsPossible) return null;
        if (DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss'Z'"], System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var start)) return start;
        errors.Add("fulfillment.slot", "must be a slot's start as listed, e.g. \"2026-12-08T10:00:00+08:00\", or \"asap\"");
        return null;
    }

    private static List<CartLine> ValidLines(IReadOnlyList<LineInput?>? items, ValidationErrors errors)
    {
        var lines = new List<CartLine>();
        if (items is null || items.Count == 0) errors.Add("items", "must list at least one item");
        else if (items.Count > MaxLines) errors.Add("items", $"must list at most {MaxLines} lines");
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < items.Count; i++)
            {
                var line = items[i] ?? new LineInput(null, null);
                var lineErrors = new ValidationErrors().Check($"items[{i}].sku", line.Sku).Range($"items[{i}].quantity", line.Quantity, 1, MaxQuantity);
                if (line.Sku is not null && !seen.Add(line.Sku)) lineErrors.Add($"items[{i}].sku",
                    "is on another line too; put the whole quantity on one line");
                if (lineErrors.IsEmpty) lines.Add(new CartLine(line.Sku!, (int)line.Quantity!.Value));
                else errors.AddAll(lineErrors);
            }
        }
        return lines;
    }

    private static Fulfillment? ValidFulfillment(FulfillmentInput? input, ValidationErrors errors)
    {
        if (input is null)
        {
            errors.Add("fulfillment", "is required");
            return null;
        }
        switch (input.Mode)
        {
            case "pickup" when input.StoreId is not null:
                errors.Check("fulfillment.storeId", input.StoreId);
                return new Fulfillment.PickupAt(input.StoreId);
            case "pickup" when input.Near is not null:
                return Point("fulfillment.near", input.Near.Lat, input.Near.Lng, errors) is { } near ? new Fulfillment.PickupNear(near) : null;
            case "pickup":
                errors.Add("fulfillment", "pickup needs storeId, or near {lat, lng} for the nearest store");
                return null;
            case "delivery":
                return ValidDelivery(input, errors);
            default:
                errors.Add("fulfillment.mode", "must be 'pickup' or 'delivery'");
                return null;
        }
    }

    private static Fulfillment.Delivery? ValidDelivery(FulfillmentInput input, ValidationErrors errors)
    {
        var own = new ValidationErrors();
        var address = input.Address ?? new AddressInput(null, null, null, null);
        var contact = input.Contact ?? new ContactInput(null, null);
        own.RequireText("fulfillment.address.line", address.Line, 200)
            .RequireText("fulfillment.address.city", address.City, 50)
            .RequireText("fulfillment.contact.name", contact.Name, 50);
        var location = Point("fulfillment.address", address.Lat, address.Lng, own);
        if (contact.Phone is null || !PhoneNumber.IsMainlandMobile(contact.Phone))
            own.Add("fulfillment.contact.phone", "must be an 11-digit mainland China mobile number");
        if (!own.IsEmpty)
        {
            errors.AddAll(own);
            return null;
        }
        return new Fulfillment.Delivery(
            new DeliveryAddress(address.Line!.Trim(), address.City!.Trim(), location!.Value), new Contact(contact.Name!.Trim(), contact.Phone!));
    }

    private static GeoPoint? Point(string field, double? lat, double? lng, ValidationErrors errors)
    {
        var own = new ValidationErrors().Range($"{field}.lat", lat, -90, 90).Range($"{field}.lng", lng, -180, 180);
        if (own.IsEmpty) return new GeoPoint(lat!.Value, lng!.Value);
        errors.AddAll(own);
        return null;
    }
}

public static class PhoneNumber
{
    public static bool IsMainlandMobile(string phone) => phone.Length == 11 && phone[0] == '1' && phone.All(char.IsAsciiDigit);
}
