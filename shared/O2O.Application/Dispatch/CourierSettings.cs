namespace O2O.Application.Dispatch;

/// <summary>Courier dispatch, whichever platform books the rider.</summary>
public sealed class DeliverySettings : ISettingsSection
{
    public static string SectionName => "Delivery";

    /// <summary>Where platforms post webhooks: this app's /api/couriers, to which "/{provider}/webhook" is added.</summary>
    public string CallbackBaseUrl { get; set; } = "";

    /// <summary>How long a booking may wait for a rider before the next platform is asked.</summary>
    public int RiderWaitMinutes { get; set; } = 10;

    /// <summary>
    /// How long a booking may go without news before the platform's status query is asked (where
    /// it has one): a webhook lost for good must not leave a delivery in transit forever.
    /// </summary>
    public int SilenceMinutes { get; set; } = 20;

    /// <summary>
    /// What the buyer pays for delivery: <c>Tariff</c>, the store's own tariff (the courier's quote is
    /// recorded for margin reports), or <c>PassThrough</c>, the quote of the platform that will be asked first.
    /// </summary>
    public string BuyerFee { get; set; } = Tariff;

    public const string Tariff = "Tariff";
    public const string PassThrough = "PassThrough";
}

/// <summary>Dada (达达) open platform credentials; our store ids are registered there as shop_no.</summary>
public sealed class DadaSettings : ISettingsSection
{
    public static string SectionName => "Dada";

    /// <summary>https://newopen.imdada.cn in production; the local host's sandbox locally.</summary>
    public string BaseUrl { get; set; } = "";
    public string AppKey { get; set; } = "";

    /// <summary>A Key Vault reference in Azure.</summary>
    public string AppSecret { get; set; } = "";

    /// <summary>The merchant's source_id.</summary>
    public string SourceId { get; set; } = "";
}

/// <summary>Meituan delivery (美团配送) credentials; our store ids are registered there as shop_id.</summary>
public sealed class MeituanSettings : ISettingsSection
{
    public static string SectionName => "Meituan";

    /// <summary>https://peisong.meituan.com in production; the local host's sandbox locally.</summary>
    public string BaseUrl { get; set; } = "";
    public string AppKey { get; set; } = "";

    /// <summary>A Key Vault reference in Azure.</summary>
    public string Secret { get; set; } = "";
}

/// <summary>SF same-city (顺丰同城) credentials; our store ids are registered there as shop_id (shop_type 2).</summary>
public sealed class SfSettings : ISettingsSection
{
    public static string SectionName => "Sf";

    /// <summary>https://openic.sf-express.com in production; the local host's sandbox locally.</summary>
    public string BaseUrl { get; set; } = "";
    public string DevId { get; set; } = "";

    /// <summary>A Key Vault reference in Azure.</summary>
    public string DevKey { get; set; } = "";
}
