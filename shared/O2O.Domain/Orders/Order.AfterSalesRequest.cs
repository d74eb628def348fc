using O2O.Domain.AfterSales;
using O2O.Domain.Common;

namespace O2O.Domain.Orders;

/// <summary>A buyer's after-sales request: when one may be opened, and every problem with it answered before anything is recorded.</summary>
public sealed partial class Order
{
    /// <summary>
    /// The buyer asks for a refund or a return of some units. A repeated request (same
    /// Idempotency-Key, same body) answers the case it opened. Before the store accepted the order,
    /// a refund is approved at once. Every problem with the request is answered, nothing recorded.
    /// </summary>
    public Result<AfterSalesCase> RequestAfterSales(
        AfterSalesInput input, string idempotencyKey, string requestHash, DateTimeOffset at, AfterSalesPolicy policy)
    {
        if (_cases.Find(c => c.IdempotencyKey == idempotencyKey) is { } repeat)
            return repeat.RequestHash == requestHash
                ? repeat
                : new Error(ErrorCodes.IdempotencyKeyReused, "This Idempotency-Key already opened a different case; use a new key for a new request.");
        if (!GoodsInStore && !HandedOver)
            return new Error(ErrorCodes.InvalidTransition, Status is OrderStatus.PendingPayment or OrderStatus.Cancelled
                ? $"An order that is {Status} has nothing to refund."
                : $"An order that is {Status} is on its way; ask once it is delivered.");
        if (HandedOverAt + policy.Window < at)
            return new Error(ErrorCodes.AfterSalesWindowClosed, $"After-sales closed {policy.WindowDays} days after the goods were handed over.");
        if (_cases.Count >= MaxCases) return new Error(ErrorCodes.InvalidTransition, $"An order has at most {MaxCases} after-sales cases.");

        var errors = new ValidationErrors();
        var type = input.Type switch
        {
            "refund" => AfterSalesType.Refund,
            "return" => AfterSalesType.Return,
            _ => (AfterSalesType?)null,
        };
        if (type is null) errors.Add("type", "must be \"refund\" or \"return\"");
        else if (type == AfterSalesType.Return && !HandedOver) errors.Add("type",
            "the goods are still in the store: ask for a refund, there is nothing to return");
        var lines = CaseLines(input.Lines, errors);
        errors.RequireText("reason", input.Reason, AfterSalesInput.MaxReasonLength);
        if (input.Note?.Length > AfterSalesInput.MaxNoteLength) errors.Add("note", $"must be at most {AfterSalesInput.MaxNoteLength} characters");
        var photos = Photos(input.Photos, errors);
        if (!errors.IsEmpty) return errors.ToError();

        var opened = new AfterSalesCase(AfterSalesIds.For(Id, _cases.Count + 1), type!.Value, lines, input.Reason!.Trim(),
            string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim(), photos, idempotencyKey, requestHash, at, Status);
        Put(opened);
        RaiseCase(OrderEventTypes.AfterSalesRequested, at, opened, opened.LinesFen, opened.Reason);
        if (Status == OrderStatus.Paid)
        {
            // The store has not taken the order on: nothing to ask it, the units go back on sale.
            var approved = Approve(opened, at, "system", policy, headOffice: true);
            if (!approved.IsSuccess) return approved.Error;
        }
        return Case(opened.Id)!;
    }

    private List<CaseLine> CaseLines(IReadOnlyList<LineInput?>? input, ValidationErrors errors)
    {
        var lines = new List<CaseLine>();
        if (input is null || input.Count == 0)
        {
            errors.Add("lines", "must list at least one line of the order");
            return lines;
        }
        if (input.Count > Lines.Count)
        {
            errors.Add("lines", $"must list at most the order's {Lines.Count} lines");
            return lines;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < input.Count; i++)
        {
            var line = input[i] ?? new LineInput(null, null);
            var lineErrors = new ValidationErrors().Check($"lines[{i}].sku", line.Sku).Range($"lines[{i}].quantity", line.Quantity, 1, Cart.MaxQuantity);
            if (lineErrors.IsEmpty)
            {
                var bought = Lines.FirstOrDefault(l => l.Sku == line.Sku);
                if (bought is null) lineErrors.Add($"lines[{i}].sku", "is not on this order");
                else if (!seen.Add(bought.Sku)) lineErrors.Add($"lines[{i}].sku", "is on another line too; put the whole quantity on one line");
                else if (line.Quantity > ClaimableQuantity(bought.Sku))
                    lineErrors.Add($"lines[{i}].quantity",
                        $"{line.Quantity} is more than the {ClaimableQuantity(bought.Sku)} of " +
                            $"{bought.Quantity} bought that are not refunded or in another case");
                else lines.Add(new CaseLine(bought.Sku, bought.Name, (int)line.Quantity!.Value, bought.UnitPriceFen * line.Quantity.Value));
            }
            errors.AddAll(lineErrors);
        }
        return lines;
    }

    private static List<string> Photos(IReadOnlyList<string?>? input, ValidationErrors errors)
    {
        if (input is null) return [];
        if (input.Count > AfterSalesInput.MaxPhotos) errors.Add("photos", $"must list at most {AfterSalesInput.MaxPhotos} photos");
        var photos = new List<string>();
        for (var i = 0; i < input.Count && i < AfterSalesInput.MaxPhotos; i++)
        {
            if (input[i] is { Length: <= AfterSalesInput.MaxPhotoUrlLength } url && Uri.TryCreate(url,
                UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
                photos.Add(url);
            else errors.Add($"photos[{i}]", $"must be an https URL of at most {AfterSalesInput.MaxPhotoUrlLength} characters");
        }
        return photos;
    }
}
