using O2O.Domain.AfterSales;

namespace O2O.Application.AfterSales;

public sealed class AfterSalesSettings : ISettingsSection
{
    public static string SectionName => "AfterSales";

    /// <summary>Days after pickup or delivery during which a buyer may open a case.</summary>
    public int WindowDays { get; set; } = AfterSalesPolicy.Default.WindowDays;

    /// <summary>Hours a store has to answer a case; its silence approves it.</summary>
    public int StoreAnswerHours { get; set; } = AfterSalesPolicy.Default.StoreAnswerHours;

    /// <summary>Days a buyer has to bring the goods of an approved return back; after that the case closes.</summary>
    public int ReturnDays { get; set; } = AfterSalesPolicy.Default.ReturnDays;

    /// <summary>The most (fen) a store may approve in refunds of one order, all its cases together; above it head office decides.</summary>
    public long StoreApprovalLimitFen { get; set; } = AfterSalesPolicy.Default.StoreApprovalLimitFen;

    /// <summary>Hours head office has to answer a case escalated to it (the store's time ran out above its limit); its silence rejects the case.</summary>
    public int HeadOfficeAnswerHours { get; set; } = AfterSalesPolicy.Default.HeadOfficeAnswerHours;

    public AfterSalesPolicy ToPolicy() => new(WindowDays, StoreAnswerHours, ReturnDays, StoreApprovalLimitFen, HeadOfficeAnswerHours);

    public bool Valid() => WindowDays is >= 1 and <= 90 && StoreAnswerHours is >= 1 and <= 24 * 14 && ReturnDays is >= 1 and <= 30 && StoreApprovalLimitFen >= 0
                           && HeadOfficeAnswerHours is >= 1 and <= 24 * 30;
}
