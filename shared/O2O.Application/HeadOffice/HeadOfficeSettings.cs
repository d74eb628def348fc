namespace O2O.Application.HeadOffice;

public sealed class HeadOfficeSettings : ISettingsSection
{
    public static string SectionName => "HeadOffice";

    /// <summary>
    /// The Microsoft Entra ID authority whose tokens sign head office in: https://login.microsoftonline.com/{tenant id}/v2.0.
    /// Locally, the local host's Entra sandbox. Empty: no one signs in but the admin key.
    /// </summary>
    public string Authority { get; set; } = "";

    /// <summary>The app registration's client id: the tokens' audience (it or api://{it}), and the client the page signs in as.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>
    /// True only where the platform's own authentication (App Service authentication) stands in front of the app and sets
    /// X-MS-CLIENT-PRINCIPAL, dropping any a caller sent. Anywhere else a request with that header is refused: it would be forged.
    /// Flex Consumption does not offer that authentication (docs/head-office.md), so the Bicep sets false.
    /// </summary>
    public bool PlatformPrincipal { get; set; }
}
