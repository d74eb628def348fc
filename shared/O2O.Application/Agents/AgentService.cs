using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using O2O.Application.Platform;
using O2O.Domain.Agents;
using O2O.Domain.Common;
using O2O.Domain.Orders;

namespace O2O.Application.Agents;

public sealed record AgentView(string AgentId, string Name, string Tier, bool Active, string? ParentAgentId);

public sealed record ShareCodeInput(string? Sku, string? Campaign);

/// <summary>What POST /api/agents/me/share-codes answers: the code for the mini-program's scene, and what it is bound to.</summary>
public sealed record ShareCodeView(string Code, string? Sku, string? Campaign);

/// <summary>What became of a share code a consumer came through; never told to the consumer, who just shops.</summary>
public enum BindingOutcome { Bound, Kept, UnknownCode, InactiveAgent, OwnCode, BuyerIsAgent, RateLimited }

/// <summary>
/// Agents and attribution: head office approves agents; an active agent draws share codes that
/// name nothing (not the agent, not a sequence); a consumer who comes through a code is bound to
/// its agent, first touch, for <see cref="AgentSettings.BindingDays"/>; checkout freezes who earns
/// what on the order.
/// </summary>
public sealed class AgentService(
    AgentsTable agents, Catalog.CatalogCache catalog, BuyerRateLimits limits, IOptions<AgentSettings> settings, TimeProvider clock)
{
    public const int CodeLength = 10;
    public const int MaxCampaignLength = 32;
    private const string CodeAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"; // no 0/1/i/l/o: a code may be read aloud

    public async Task<Result<AgentView>> PutAsync(string agentId, AgentInput input, CancellationToken cancellationToken)
    {
        var consumerKey = string.IsNullOrWhiteSpace(input.OpenId) ? null : OrderIds.ConsumerKey(input.OpenId);
        var agent = Agent.Create(agentId, consumerKey, input.Name, input.Tier, input.Active, input.ParentAgentId);
        if (!agent.IsSuccess) return agent.Error;
        if (agent.Value.ParentAgentId is { } parentId && await LoopAsync(agentId, parentId, cancellationToken) is { } refused)
            return Error.Validation("parentAgentId", refused);
        var taken = await agents.AgentIdOfAsync(agent.Value.ConsumerKey, cancellationToken);
        if (taken is not null && taken != agentId) return Error.Conflict($"This openid is already agent '{taken}'.");
        await agents.PutAsync(agent.Value, (await agents.GetAsync(agentId, cancellationToken))?.ConsumerKey, cancellationToken);
        return View(agent.Value);
    }

    /// <summary>Longer chains than this are refused outright: a brand pays two levels, and a walk up the chain must end.</summary>
    public const int MaxChainLength = 20;

    /// <summary>
    /// Why <paramref name="parentId"/> cannot be <paramref name="agentId"/>'s parent, or null: it does
    /// not exist, or the agent is somewhere above it already (P ← C ← G, then P under G), which
    /// would make a loop that earns on its own buyers.
    /// </summary>
    private async Task<string?> LoopAsync(string agentId, string parentId, CancellationToken cancellationToken)
    {
        var above = await agents.GetAsync(parentId, cancellationToken);
        if (above is null) return $"there is no agent '{parentId}'";
        for (var hops = 0; above is not null; hops++)
        {
            if (above.Id == agentId) return $"'{parentId}' is under this agent already ({agentId} is above it in its chain): a loop";
            if (hops == MaxChainLength) return $"'{parentId}' has a chain of more than {MaxChainLength} agents above it";
            above = above.ParentAgentId is { } next ? await agents.GetAsync(next, cancellationToken) : null;
        }
        return null;
    }

    public async Task<Result<AgentView>> GetAsync(string agentId, CancellationToken cancellationToken) =>
        await agents.GetAsync(agentId, cancellationToken) is { } agent ? View(agent) : Error.NotFound($"There is no agent '{agentId}'.");

    /// <summary>The agent the consumer is; 403 for anyone else.</summary>
    public async Task<Result<AgentView>> OfConsumerAsync(string consumerKey, CancellationToken cancellationToken) =>
        await agents.AgentIdOfAsync(consumerKey, cancellationToken) is { } agentId && await agents.GetAsync(agentId, cancellationToken) is { } agent
            ? View(agent)
            : new Error(ErrorCodes.Forbidden, "Only an agent of the brand has a commission account.");

    /// <summary>A new share code of the consumer, who must be an active agent.</summary>
    public async Task<Result<ShareCodeView>> IssueShareCodeAsync(string consumerKey, ShareCodeInput input, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (input.Sku is not null) errors.Check("sku", input.Sku);
        if (input.Campaign is not null && (input.Campaign.Length > MaxCampaignLength || !Identifier.IsValid(input.Campaign)))
            errors.Add("campaign", $"must be 1 to {MaxCampaignLength} letters, digits, '-' or '_'");
        if (!errors.IsEmpty) return errors.ToError();
        var agent = await agents.AgentIdOfAsync(consumerKey, cancellationToken) is { } agentId ? await agents.GetAsync(agentId, cancellationToken) : null;
        if (agent is not { Active: true }) return new Error(ErrorCodes.Forbidden, "Only an active agent of the brand has share codes.");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var code = RandomNumberGenerator.GetString(CodeAlphabet, CodeLength);
            if (await agents.TryAddCodeAsync(code, agent.Id, input.Sku, input.Campaign, clock.GetUtcNow(), cancellationToken))
                return new ShareCodeView(code, input.Sku, input.Campaign);
        }
        throw new InvalidOperationException("No free share code after 5 draws.");
    }

    /// <summary>
    /// Binds the consumer to the agent of <paramref name="shareCode"/>: the first binding holds for
    /// the binding days, so a share of another agent meanwhile changes nothing; once it lapses the
    /// next share rebinds. Written with the binding's ETag, so of two concurrent scans one wins.
    /// Refused quietly for an unknown code, an inactive agent, the agent's own code, a buyer who is
    /// an agent (an agent's purchases earn nobody a commission), or a buyer over the binding limit.
    /// </summary>
    public async Task<BindingOutcome> BindAsync(string consumerKey, string shareCode, CancellationToken cancellationToken)
    {
        if (!limits.TryAcquire(BuyerAction.Bind, consumerKey)) return BindingOutcome.RateLimited; // a script trying codes: ignored like a bad one
        var agent = await agents.AgentIdOfCodeAsync(shareCode, cancellationToken) is { } agentId ? await agents.GetAsync(agentId, cancellationToken) : null;
        if (agent is null) return BindingOutcome.UnknownCode;
        if (!agent.Active) return BindingOutcome.InactiveAgent;
        if (agent.ConsumerKey == consumerKey) return BindingOutcome.OwnCode;
        if (await agents.AgentIdOfAsync(consumerKey, cancellationToken) is not null) return BindingOutcome.BuyerIsAgent;
        while (true)
        {
            var now = clock.GetUtcNow();
            var current = await agents.BindingAsync(consumerKey, cancellationToken);
            if (current is { } held && (held.Binding.Locked(now) || held.Binding.AgentId == agent.Id)) return BindingOutcome.Kept;
            if (await agents.TryBindAsync(consumerKey, AgentBinding.New(agent.Id, now, settings.Value.BindingDays), current?.ETag, cancellationToken))
                return BindingOutcome.Bound;
            // Another scan wrote first: read what it wrote and decide again.
        }
    }

    /// <summary>
    /// Who earns on an order the consumer places now, with the rates of each line, or null: the
    /// agent the consumer is bound to, if active; their parent too with two levels, if active. No
    /// one earns on an agent's purchase (one bound before becoming an agent, or a parent buying
    /// through its recruit's share), at either level.
    /// </summary>
    public async Task<Attribution?> AttributeAsync(string consumerKey, IReadOnlyList<OrderLine> lines, CancellationToken cancellationToken)
    {
        if (await agents.BindingAsync(consumerKey, cancellationToken) is not { } bound) return null;
        var agentRead = agents.GetAsync(bound.Binding.AgentId, cancellationToken);
        var buyerAsAgent = agents.AgentIdOfAsync(consumerKey, cancellationToken);
        var agent = await agentRead;
        if (agent is not { Active: true } || agent.ConsumerKey == consumerKey || await buyerAsAgent is not null) return null;
        var rates = settings.Value.ToRates();
        var parent = rates.Levels == 2 && agent.ParentAgentId is { } parentId ? await agents.GetAsync(parentId, cancellationToken) : null;
        var earningParent = parent is { Active: true } ? parent.Id : null;
        var rated = new List<LineRate>();
        foreach (var line in lines) // the catalog is cached: no storage read per line
            rated.Add(rates.For(line.Sku, (await catalog.FindAsync(line.Sku, cancellationToken))?.CommissionBps, agent.Tier, earningParent is not null));
        return new Attribution(agent.Id, earningParent, rated);
    }

    private static AgentView View(Agent agent) => new(agent.Id, agent.Name, agent.Tier, agent.Active, agent.ParentAgentId);
}
