using System.Text.Json;
using O2O.Application;
using O2O.Application.Operations;
using O2O.Application.Storage;

namespace O2O.UnitTests.Platform;

/// <summary>
/// Checks over the ARM JSON that infra/main.bicep compiles to (scripts/bicep.sh writes it before
/// the tests run): what the deployment really sets, not what the Bicep text seems to say.
/// </summary>
public sealed partial class ArmTemplateTests
{
    internal static readonly Lazy<JsonElement> Main = new(() =>
    {
        var path = RepoFiles.Path("infra", "cli", "obj", "arm", "main.json");
        Assert.True(File.Exists(path), "Run scripts/bicep.sh first (scripts/test.sh does): the compiled ARM is missing.");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
    });

    /// <summary>Settings whose values are secrets: in Azure they must be Key Vault references.</summary>
    internal static readonly string[] SecretSettings =
    [
        "Auth__AdminApiKey", "Auth__SessionSigningKey", "Auth__StoreKeyPepper", "WeChat__AppSecret", "WeChat__PushToken", "WeChat__PushAesKey",
        "WeChatPay__ApiV3Key",
        "WeChatPay__MerchantPrivateKeyPem", "Dada__AppSecret", "Meituan__Secret", "Sf__DevKey", "Notifications__WebhookKey",
    ];

    /// <summary>
    /// A lint rule that reads today's date (an API version's age) failed a commit that had passed
    /// the day before; such rules stay off so the same commit lints the same on any day.
    /// </summary>
    [Fact]
    public void No_lint_rule_that_depends_on_the_date_can_fail_the_build()
    {
        var config = JsonDocument.Parse(File.ReadAllText(RepoFiles.Path("infra", "bicepconfig.json"))).RootElement;
        var rule = config.GetProperty("analyzers").GetProperty("core").GetProperty("rules").GetProperty("use-recent-api-versions");

        Assert.Equal("off", rule.GetProperty("level").GetString());
        Assert.Contains("faketime -f '+730d'", File.ReadAllText(RepoFiles.Path("scripts", "bicep.sh")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_deployment_with_a_published_sample_secret_fails_before_any_secret_is_stored()
    {
        var template = Main.Value;
        var samples = template.GetProperty("variables").GetRawText(); // loadJsonContent inlines the sample file among them
        var keyVault = template.GetProperty("resources").GetProperty("keyVault").GetProperty("properties");
        var stored = keyVault.GetProperty("parameters").GetProperty("adminApiKey").GetString()!;

        Assert.All(["local-admin-key-change-me-0123456789", "local-session-signing-key-change-me-0123456789", "sandbox-sf-dev-key"],
            sample => Assert.Contains(sample, samples, StringComparison.Ordinal)); // the sample file's values, inlined at build
        Assert.Contains("empty(variables('refusedSecrets'))", stored, StringComparison.Ordinal);
        Assert.Contains("fail(", stored, StringComparison.Ordinal);
        foreach (var secret in new[] { "adminApiKey", "sessionSigningKey", "storeKeyPepper", "notificationsWebhookKey", "weChatAppSecret", "sfDevKey" })
            Assert.Contains($"parameters('{secret}')", template.GetProperty("variables").GetProperty("secretsToCheck").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_setting_the_code_reads_is_set_by_the_deployment()
    {
        var settings = AppSettings();
        var read = typeof(ISettingsSection).Assembly.GetTypes()
            .Where(t => t.IsClass && typeof(ISettingsSection).IsAssignableFrom(t))
            .SelectMany(t => t.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Select(p =>
                $"{t.GetProperty(nameof(ISettingsSection.SectionName))!.GetValue(null)}__{p.Name}"))
            .ToList();

        Assert.NotEmpty(read);
        Assert.All(read, name => Assert.True(settings.ContainsKey(name), $"the deployment does not set {name}"));
        Assert.All(["AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "AzureWebJobsStorage__blobServiceUri",
            "DataStorage__credential", "DataStorage__clientId", "DataStorage__queueServiceUri", "DataStorage__tableServiceUri"],
            name => Assert.True(settings.ContainsKey(name), $"the deployment does not set {name}"));
    }

    [Fact]
    public void No_secret_or_storage_key_is_in_the_app_settings()
    {
        var settings = AppSettings();

        Assert.All(SecretSettings, name => Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri=", settings[name], StringComparison.Ordinal));
        Assert.All(settings, s => Assert.DoesNotContain("listKeys", s.Value, StringComparison.OrdinalIgnoreCase));
        Assert.All(settings, s => Assert.DoesNotContain("AccountKey=", s.Value, StringComparison.OrdinalIgnoreCase));
        Assert.False(settings.ContainsKey("AzureWebJobsStorage"), "a connection string would carry the account key");
        Assert.False(settings.ContainsKey("DataStorage"), "a connection string would carry the account key");
        Assert.Equal("", settings["EventGrid__TopicKey"]);
        Assert.False(Resource("Microsoft.Storage/storageAccounts").GetProperty("properties").GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.True(Resource("Microsoft.EventGrid/topics").GetProperty("properties").GetProperty("disableLocalAuth").GetBoolean());
    }

    [Fact]
    public void Every_table_and_queue_is_provisioned_each_queue_with_its_poison_queue()
    {
        var storage = Module("storage").GetProperty("variables");
        var tables = storage.GetProperty("tableNames").EnumerateArray().Select(t => t.GetString()).ToList();
        var queues = storage.GetProperty("queueNames").EnumerateArray().Select(q => q.GetString()).ToList();
        var poison = Resources(Module("storage")).Count(r => r.GetProperty("name").GetString()!.Contains("-poison", StringComparison.Ordinal));

        Assert.Equal(StorageNames.Tables.Order(), tables.Order());
        Assert.Equal(StorageNames.Queues.Order(), queues.Order());
        Assert.Equal(1, poison); // one copy loop over queueNames
    }

    [Fact]
    public void The_identity_holds_a_role_for_everything_the_app_does_with_it()
    {
        var roles = Module("roles");
        var guids = roles.GetProperty("variables").GetProperty("roles").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        var assignments = Resources(roles).Where(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments")
            .Select(r => r.GetProperty("properties").GetProperty("roleDefinitionId").GetString() + " @ " + r.GetProperty("scope").GetString()).ToList();

        // Tables and queues (state and work), blobs (host leases, the package), secrets, telemetry, events.
        Assert.Equal("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", guids["storageTableDataContributor"]);
        Assert.Equal("974c5e8b-45b9-4653-ba55-5f855dd0fb88", guids["storageQueueDataContributor"]);
        Assert.Equal("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", guids["storageBlobDataOwner"]);
        Assert.Equal("4633458b-17de-408a-b874-0445c86b69e6", guids["keyVaultSecretsUser"]);
        Assert.Equal("d5a91429-5739-47e2-a06b-3470a27159e7", guids["eventGridDataSender"]);
        Assert.Contains(assignments,
            a => a.Contains("dataStorageRoles", StringComparison.Ordinal) && a.Contains("Microsoft.Storage/storageAccounts", StringComparison.Ordinal));
        Assert.Contains(assignments,
            a => a.Contains("keyVaultSecretsUser", StringComparison.Ordinal) && a.Contains("Microsoft.KeyVault/vaults", StringComparison.Ordinal));
        Assert.Contains(assignments,
            a => a.Contains("eventGridDataSender", StringComparison.Ordinal) && a.Contains("Microsoft.EventGrid/topics", StringComparison.Ordinal));
        Assert.Contains(assignments,
            a => a.Contains("monitoringMetricsPublisher", StringComparison.Ordinal) && a.Contains("Microsoft.Insights/components", StringComparison.Ordinal));
    }

    [Fact]
    public void The_notifications_subscription_gets_cloud_events_at_the_keyed_webhook_with_retries_and_a_dead_letter_container()
    {
        var template = JsonDocument.Parse(File.ReadAllText(RepoFiles.Path("infra", "cli", "obj", "arm", "subscription.json"))).RootElement;
        var subscription = Resources(template).Single(r =>
            r.GetProperty("type").GetString() == "Microsoft.EventGrid/topics/eventSubscriptions").GetProperty("properties");

        Assert.Equal("CloudEventSchemaV1_0", subscription.GetProperty("eventDeliverySchema").GetString());
        Assert.Contains("/api/events/notifications?key=",
            subscription.GetProperty("destination").GetProperty("properties").GetProperty("endpointUrl").GetString(), StringComparison.Ordinal);
        Assert.True(subscription.GetProperty("retryPolicy").GetProperty("maxDeliveryAttempts").GetInt32() > 1);
        Assert.Equal("StorageBlob",
            subscription.GetProperty("deadLetterWithResourceIdentity").GetProperty("deadLetterDestination").GetProperty("endpointType").GetString());
        Assert.True(template.GetProperty("parameters").GetProperty("webhookKey").GetProperty("type").GetString() == "securestring");
    }

    [Fact]
    public void An_alert_watches_for_the_trace_the_poison_queue_timer_writes()
    {
        var alert = Resources(Module("monitoring")).Single(r => r.GetProperty("type").GetString() == "Microsoft.Insights/scheduledQueryRules"
                                                                && !r.TryGetProperty("copy", out _)).GetProperty("properties");
        var query = alert.GetProperty("criteria").GetProperty("allOf")[0].GetProperty("query").GetString()!;
        var logged = typeof(PoisonQueues).GetMethod("LogPoisoned", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .GetCustomAttributes(typeof(Microsoft.Extensions.Logging.LoggerMessageAttribute),
                false).Cast<Microsoft.Extensions.Logging.LoggerMessageAttribute>().Single().Message;

        Assert.Contains("startswith \"Poison queue\"", query, StringComparison.Ordinal);
        Assert.StartsWith("Poison queue", logged, StringComparison.Ordinal);
        Assert.NotEmpty(alert.GetProperty("actions").GetProperty("actionGroups").EnumerateArray());
    }

    [Fact]
    public void The_apps_data_has_a_storage_account_of_its_own_apart_from_the_hosts()
    {
        var settings = AppSettings();
        var accounts = Resources(Main.Value)
            .Where(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments"
                        && r.GetProperty("name").GetString()!.Contains("torage-", StringComparison.Ordinal))
            .ToDictionary(r => r.GetProperty("properties").GetProperty("parameters").GetProperty("holdsAppData").GetProperty("value").GetBoolean(),
                r => r.GetProperty("properties").GetProperty("parameters").GetProperty("name").GetProperty("value").GetString()!);
        var grants = Resources(Module("roles")).Where(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments")
            .Select(r => r.GetProperty("properties").GetProperty("roleDefinitionId").GetString() + " @ " + r.GetProperty("scope").GetString()).ToList();
        bool Granted(string roles, string account) => grants.Any(g => g.Contains(roles, StringComparison.Ordinal)
                                                                      && g.Contains($"parameters('{account}')", StringComparison.Ordinal));

        Assert.Equal(2, accounts.Count);
        Assert.NotEqual(accounts[true], accounts[false]);
        Assert.Equal("[parameters('hostStorage').blob]", settings["AzureWebJobsStorage__blobServiceUri"]);
        Assert.Equal("[parameters('dataStorage').queue]", settings["DataStorage__queueServiceUri"]);
        Assert.Equal("[parameters('dataStorage').table]", settings["DataStorage__tableServiceUri"]);
        Assert.True(Granted("dataStorageRoles", "storageAccountName"), "tables and queues on the data account");
        Assert.True(Granted("storageBlobDataOwner", "hostStorageAccountName"), "blobs (leases, the package) on the host's account");
        Assert.Single(grants, g => g.Contains("parameters('hostStorageAccountName')", StringComparison.Ordinal)); // nothing else there
        Assert.Equal(["[variables('roles').storageQueueDataContributor]", "[variables('roles').storageTableDataContributor]"],
            Module("roles").GetProperty("variables").GetProperty("dataStorageRoles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public void Every_metric_alert_watches_a_metric_the_app_publishes_and_pages_the_operators()
    {
        var published = new List<string>();
        using (var listener = new System.Diagnostics.Metrics.MeterListener())
        {
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == O2O.Application.Telemetry.O2OTelemetry.Name) published.Add(instrument.Name);
            };
            System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(O2O.Application.Telemetry.OrderMetrics).TypeHandle);
            listener.Start();
        }
        var monitoring = Module("monitoring");
        var alerts = monitoring.GetProperty("variables").GetProperty("metricAlerts").EnumerateArray().ToList();
        var rule = Resources(monitoring).Single(r => r.TryGetProperty("copy", out var copy) && copy.GetProperty("name").GetString() == "metricAlert");

        Assert.Equal(["o2o.courier.bookings.failed", "o2o.outbox.age", "o2o.refunds.stuck", "o2o.withdrawals.stuck"],
            alerts.Select(a => MetricName().Match(a.GetProperty("query").GetString()!).Groups[1].Value).Order());
        Assert.All(alerts, a => Assert.Contains(MetricName().Match(a.GetProperty("query").GetString()!).Groups[1].Value, published));
        Assert.All(alerts, a => Assert.Contains("value =", a.GetProperty("query").GetString()!, StringComparison.Ordinal)); // the measured column
        Assert.NotEmpty(rule.GetProperty("properties").GetProperty("actions").GetProperty("actionGroups").EnumerateArray());
    }

    [System.Text.RegularExpressions.GeneratedRegex("""where name == "([^"]+)" """)]
    private static partial System.Text.RegularExpressions.Regex MetricName();

    private static Dictionary<string, string> AppSettings() =>
        Module("api").GetProperty("variables").GetProperty("appSettings").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());

    private static JsonElement Module(string name) =>
        Resources(Main.Value).Single(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments"
                                          && r.GetProperty("name").GetString()!.StartsWith($"[format('{name}-", StringComparison.Ordinal))
            .GetProperty("properties").GetProperty("template");

    internal static JsonElement Resource(string type) =>
        Resources(Main.Value).Where(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments")
            .SelectMany(d => Resources(d.GetProperty("properties").GetProperty("template")))
            .First(r => r.GetProperty("type").GetString() == type);

    internal static IEnumerable<JsonElement> Resources(JsonElement template)
    {
        var resources = template.GetProperty("resources");
        return resources.ValueKind == JsonValueKind.Array ? resources.EnumerateArray() : resources.EnumerateObject().Select(p => p.Value);
    }
}
