using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using O2O.Application;
using O2O.Application.Dispatch;
using O2O.Application.Dispatch.Couriers;
using O2O.Domain.Common;

namespace O2O.UnitTests.Dispatch;

/// <summary>A correctly signed webhook is still refused when it is a replay (too old) or from the future; empty secrets never start the app.</summary>
public sealed class CourierWebhookFreshnessTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Now);

    [Theory]
    [InlineData(0, true)]
    [InlineData(-9 * 60, true)]
    [InlineData(-11 * 60, false)]
    [InlineData(11 * 60, false)]
    public void Dada_refuses_a_push_whose_update_time_is_more_than_ten_minutes_away(int offsetSeconds, bool accepted)
    {
        var dada = new DadaPlatform(new HttpClient(), Options.Create(new DadaSettings { AppSecret = "s" }), _clock);
        var updateTime = Now.AddSeconds(offsetSeconds).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["client_id"] = "DD1", ["order_id"] = "o-1", ["order_status"] = 4, ["update_time"] = long.Parse(updateTime, CultureInfo.InvariantCulture),
            ["signature"] = CourierSignatures.DadaWebhook("DD1", "o-1", updateTime),
        });

        var read = dada.ReadWebhook(new CourierWebhook(body, new Dictionary<string, string?>()), Now);

        Assert.Equal(accepted, read.IsSuccess);
        if (!accepted) Assert.Equal(ErrorCodes.Unauthorized, read.Error!.Code);
    }

    [Theory]
    [InlineData(-60, true)]
    [InlineData(-11 * 60, false)]
    [InlineData(11 * 60, false)]
    [InlineData(null, false)]
    public void SF_refuses_a_push_without_a_fresh_push_time(int? offsetSeconds, bool accepted)
    {
        var sf = new SfPlatform(new HttpClient(), Options.Create(new SfSettings { DevId = "1590000001", DevKey = "k" }), _clock);
        var fields = new Dictionary<string, object>
        {
            ["sf_order_id"] = "SF1", ["shop_order_id"] = "o-1", ["url_index"] = "rider_status", ["order_status"] = 10,
        };
        if (offsetSeconds is { } offset) fields["push_time"] = Now.AddSeconds(offset).ToUnixTimeSeconds();
        var body = JsonSerializer.Serialize(fields);

        var read = sf.ReadWebhook(new CourierWebhook(body, new Dictionary<string, string?> { ["sign"] = CourierSignatures.Sf(body, "1590000001", "k") }), Now);

        Assert.Equal(accepted, read.IsSuccess);
    }

    [Theory]
    [InlineData("Dada:AppSecret")]
    [InlineData("Meituan:Secret")]
    [InlineData("Sf:DevKey")]
    public async Task The_app_does_not_start_with_an_empty_courier_secret(string emptied)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Dada:AppSecret"] = "a", ["Meituan:Secret"] = "b", ["Sf:DevKey"] = "c",
            ["EventGrid:TopicEndpoint"] = "http://127.0.0.1:1/api/events", ["EventGrid:TopicKey"] = "k",
            [O2O.Application.Auth.DeployedSecrets.EnvironmentKey] = "Development", // the sample-secret check is another test's
        };
        settings[emptied] = "";
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddO2OBackend(builder.Configuration);
        builder.Services.RemoveAll<Microsoft.Extensions.Hosting.IHostedService>(); // nothing to provision: the check runs before any of them
        using var host = builder.Build();

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(emptied.Replace(':', '_').Replace("_", "__", StringComparison.Ordinal), refused.Message, StringComparison.Ordinal);
    }
}
