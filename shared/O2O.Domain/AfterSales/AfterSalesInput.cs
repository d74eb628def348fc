using O2O.Domain.Orders;

namespace O2O.Domain.AfterSales;

/// <summary>A buyer's after-sales request as parsed from JSON, before validation: every field may be missing.</summary>
public sealed record AfterSalesInput(string? Type, IReadOnlyList<LineInput?>? Lines, string? Reason, string? Note, IReadOnlyList<string?>? Photos)
{
    public const int MaxReasonLength = 200;
    public const int MaxNoteLength = 500;
    public const int MaxPhotos = 6;
    public const int MaxPhotoUrlLength = 300;
}
