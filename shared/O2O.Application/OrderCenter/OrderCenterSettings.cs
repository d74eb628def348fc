namespace O2O.Application.OrderCenter;

public sealed class OrderCenterSettings : ISettingsSection
{
    public static string SectionName => "OrderCenter";

    /// <summary>A fulfilled order without a confirmed upload this long after the step is looked up in WeChat and uploaded again (1–60).</summary>
    public int ReconcileAfterMinutes { get; set; } = 3;
}
