using Microsoft.Extensions.Options;

namespace O2O.Application.HeadOffice;

/// <summary>
/// A deployed app takes head office's tokens only from an https authority (the local sandbox speaks plain http, so its tokens
/// could be made by anyone on the way), and only with a client id to check them against.
/// </summary>
public sealed class HeadOfficeSettingsCheck(bool development) : IValidateOptions<HeadOfficeSettings>
{
    public ValidateOptionsResult Validate(string? name, HeadOfficeSettings options)
    {
        if (options.Authority.Length > 0 && options.ClientId.Length == 0)
            return ValidateOptionsResult.Fail("HeadOffice__ClientId must be set with HeadOffice__Authority: it is the tokens' audience.");
        if (!development && options.Authority.Length > 0 && !options.Authority.StartsWith("https://", StringComparison.Ordinal))
            return ValidateOptionsResult.Fail(
                "HeadOffice__Authority must be https:// (https://login.microsoftonline.com/{tenant id}/v2.0) outside development.");
        return ValidateOptionsResult.Success;
    }
}
