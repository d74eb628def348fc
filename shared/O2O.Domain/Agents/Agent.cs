using O2O.Domain.Common;

namespace O2O.Domain.Agents;

/// <summary>
/// An agent (分销员) the brand approved: a shop assistant or a fan who shares products and earns a
/// commission on what the buyers they bring pay. Agents are made by head office, never by a
/// purchase or a fee; <see cref="ParentAgentId"/> is the agent who brought them in (a second
/// level of commission, when the brand turns it on).
/// </summary>
public sealed record Agent(string Id, string ConsumerKey, string Name, string Tier, bool Active, string? ParentAgentId)
{
    public const int MaxNameLength = 50;
    public const int MaxTierLength = 20;

    /// <param name="consumerKey">The agent's own consumer partition (from their openid): how a share request or a binding recognises them.</param>
    public static Result<Agent> Create(string id, string? consumerKey, string? name, string? tier, bool? active, string? parentAgentId)
    {
        var errors = new ValidationErrors().Check("agentId", id).RequireText("name", name, MaxNameLength).Require("active", active);
        if (consumerKey is null) errors.Add("openId", "is required: the agent's WeChat openid in this mini-program");
        if (tier is not null && (tier.Length > MaxTierLength || !Identifier.IsValid(tier))) errors.Add("tier",
            $"must be 1 to {MaxTierLength} letters, digits, '-' or '_'");
        if (parentAgentId is not null) errors.Check("parentAgentId", parentAgentId);
        if (parentAgentId == id) errors.Add("parentAgentId", "cannot be the agent itself");
        if (!errors.IsEmpty) return errors.ToError();
        return new Agent(id, consumerKey!, name!.Trim(), tier ?? "standard", active!.Value, parentAgentId);
    }
}

/// <summary>An agent as head office sends it, before validation.</summary>
public sealed record AgentInput(string? OpenId, string? Name, string? Tier, bool? Active, string? ParentAgentId);
