namespace O2O.Application.Notifications;

/// <summary>Consumer notifications: the Event Grid webhook's key and the WeChat subscribe message to send.</summary>
public sealed class NotificationSettings : ISettingsSection
{
    public static string SectionName => "Notifications";

    /// <summary>The key Event Grid's subscription puts in the webhook's query string (a Key Vault reference in Azure).</summary>
    public string WebhookKey { get; set; } = "";

    /// <summary>
    /// The subscribe message template for order updates, chosen in the mini-program's admin with the
    /// keywords character_string1 (order number), phrase2 (status) and thing3 (what to do next).
    /// </summary>
    public string TemplateId { get; set; } = "";

    /// <summary>The mini-program page a message opens; "?orderId=…" is added.</summary>
    public string OrderPage { get; set; } = "pages/order/detail";
}
