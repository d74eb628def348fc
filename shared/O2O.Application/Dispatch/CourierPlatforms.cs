using O2O.Application.Dispatch.Couriers;

namespace O2O.Application.Dispatch;

/// <summary>The platforms by the names stores list them under and webhooks are routed by.</summary>
public sealed class CourierPlatforms(DadaPlatform dada, MeituanPlatform meituan, SfPlatform sf)
{
    private readonly Dictionary<string, ICourierPlatform> _byName =
        new ICourierPlatform[] { dada, meituan, sf }.ToDictionary(p => p.Name, StringComparer.Ordinal);

    public ICourierPlatform? Find(string name) => _byName.GetValueOrDefault(name);

    public ICourierPlatform this[string name] => _byName[name];
}
