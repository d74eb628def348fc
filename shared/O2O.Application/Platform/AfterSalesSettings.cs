using O2O.Domain.AfterSales;

namespace O2O.Application.Platform;

public sealed class AfterSalesSettings : ISettingsSection
{
    public static string SectionName => "AfterSales";

    /// <summary>Days after pickup or delivery during which a buyer may open a case.</summary>
    public int WindowDays { get; set; } = AfterSalesPolicy.Default.WindowDays;

    /// <summary>Hours a store has to answer a case; its silence approves it.</summary>
    public int StoreAnswerHours { get; set; } = AfterSalesPolicy.Default.StoreAnswerHours;

    /// <summary>Days a buyer has to bring the goods of an approved return back; after that the case closes.</summary>
    public int ReturnDays { get; set; } = AfterSalesPolicy.Default.ReturnDays;

    /// <summary>The largest refund (fen) a store may approve; above it head office decides.</summary>
    public long StoreApprovalLimitFen { get; set; } = AfterSalesPolicy.Default.StoreApprovalLimitFen;

    public AfterSalesPolicy ToPolicy() => new(WindowDays, StoreAnswerHours, ReturnDays, StoreApprovalLimitFen);

    public bool Valid() => WindowDays is >= 1 and <= 90 && StoreAnswerHours is >= 1 and <= 24 * 14 && ReturnDays is >= 1 and <= 30 && StoreApprovalLimitFen >= 0;
}
