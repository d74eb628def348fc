namespace O2O.Application;

/// <summary>
/// A group of app settings bound from configuration section <see cref="SectionName"/>: each
/// public property is the setting <c>{SectionName}__{Property}</c>. Tests check that every one
/// is in local.settings.sample.json and set by the Bicep.
/// </summary>
public interface ISettingsSection
{
    static abstract string SectionName { get; }
}
