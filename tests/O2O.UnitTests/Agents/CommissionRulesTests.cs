using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using O2O.Application;
using O2O.Application.Agents;
using O2O.Domain.AfterSales;
using O2O.Domain.Agents;

namespace O2O.UnitTests.Agents;

public sealed class CommissionRulesTests
{
    private static readonly CommissionRates Rates = new(500, new Dictionary<string, int> { ["gold"] = 800 }, 100, 850, Levels: 2);

    [Fact]
    public void A_line_s_rate_is_the_sku_s_else_the_tier_s_else_the_global_and_both_levels_together_stay_under_the_cap()
    {
        Assert.Equal(new LineRate("T", 300, 100), Rates.For("T", skuBps: 300, "gold", hasParent: true));
        Assert.Equal(new LineRate("T", 800, 50), Rates.For("T", skuBps: null, "gold", hasParent: true)); // capped at 850
        Assert.Equal(new LineRate("T", 500, 100), Rates.For("T", skuBps: null, "silver", hasParent: true));
        Assert.Equal(new LineRate("T", 500, 0), Rates.For("T", skuBps: null, "silver", hasParent: false));
        Assert.Equal(new LineRate("T", 850, 0), Rates.For("T", skuBps: 2000, "gold", hasParent: true));
        Assert.Equal(new LineRate("T", 500, 0), (Rates with { Levels = 1 }).For("T", skuBps: null, "silver", hasParent: true));
    }

    [Fact]
    public void Commission_is_rounded_down_to_the_fen_per_line()
    {
        Assert.Equal(99, CommissionRates.Of(1999, 500)); // 99.95
        Assert.Equal(0, CommissionRates.Of(19, 500));
        Assert.Equal(1800, CommissionRates.Of(1800, CommissionRates.MaxBps));
    }

    [Fact]
    public void A_binding_holds_for_its_days_or_for_good()
    {
        var now = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

        Assert.True(AgentBinding.New("A-1", now, 30).Locked(now.AddDays(30).AddTicks(-1)));
        Assert.False(AgentBinding.New("A-1", now, 30).Locked(now.AddDays(30)));
        Assert.True(AgentBinding.New("A-1", now, 0).Locked(now.AddYears(10)));
    }

    [Fact]
    public void An_agent_needs_an_openid_a_name_and_cannot_be_its_own_parent()
    {
        var errors = Agent.Create("A-1", consumerKey: null, name: " ", tier: "gold!", active: null, parentAgentId: "A-1").Error!.FieldErrors!;

        Assert.Equal(["active", "name", "openId", "parentAgentId", "tier"], errors.Keys.Order());
        Assert.Equal("standard", Agent.Create("A-1", "c-1", "Li", tier: null, active: true, parentAgentId: null).Value!.Tier);
    }

    [Theory]
    [InlineData("Agents:Levels", "3", "never more")]
    [InlineData("Agents:Levels", "0", "never more")]
    [InlineData("Agents:SettleAfterDays", "3", "shorter than the after-sales window")]
    [InlineData("Agents:TierRatesBps", "gold=800", "\"tier:bps\" pairs")]
    [InlineData("Agents:RateBps", "10001", "between 0 and 10000")]
    public async Task The_app_refuses_to_start_with_agent_settings_it_cannot_honour(string setting, string value, string why)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataStorage"] = "UseDevelopmentStorage=true", ["Dada:AppSecret"] = "a", ["Meituan:Secret"] = "b", ["Sf:DevKey"] = "c",
            ["EventGrid:TopicEndpoint"] = "http://127.0.0.1:1/api/events", ["EventGrid:TopicKey"] = "k", [setting] = value,
            [O2O.Application.Auth.DeployedSecrets.EnvironmentKey] = "Development", // the sample-secret check is another test's
        });
        builder.Services.AddO2OBackend(builder.Configuration);
        builder.Services.RemoveAll<Microsoft.Extensions.Hosting.IHostedService>(); // nothing to provision: the check runs before any of them
        using var host = builder.Build();

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(why, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_settings_are_valid()
    {
        Assert.Null(new AgentSettings().Problem(AfterSalesPolicy.Default.WindowDays));
        Assert.Equal(500, new AgentSettings().ToRates().GlobalBps);
    }
}
