using O2O.LocalHost;

namespace O2O.UnitTests.LocalHost;

public sealed class HostSettingsTests
{
    [Fact]
    public void The_apps_host_json_keeps_the_functions_queue_defaults()
    {
        var hostJson = HostJson.Load(RepoFiles.Path("functions", "host.json"));

        Assert.Equal("", hostJson.RoutePrefix); // every route names "api/" itself, so the console can live at /console/
        Assert.Equal(16, hostJson.QueueBatchSize);
        Assert.Equal(5, hostJson.MaxDequeueCount);
        Assert.Equal(TimeSpan.Zero, hostJson.VisibilityTimeout);
    }

    [Fact]
    public void Host_json_values_override_the_defaults()
    {
        var path = System.IO.Path.GetTempFileName();
        File.WriteAllText(path, """{"version":"2.0","extensions":{"http":{"routePrefix":"v1"},"queues":{"batchSize":4,"maxDequeueCount":2,"visibilityTimeout":"00:00:30","maxPollingInterval":"00:00:05"}}}""");

        var hostJson = HostJson.Load(path);

        Assert.Equal(new HostJson("v1", 4, 2, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5)), hostJson);
    }

    [Fact]
    public void Local_settings_values_become_configuration_sections()
    {
        var values = LocalSettings.Load(RepoFiles.Path("local.settings.sample.json"));

        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]);
        Assert.Equal("UseDevelopmentStorage=true", values["DataStorage"]);
        Assert.True(values.ContainsKey("Auth:AdminApiKey"));
        Assert.DoesNotContain(values.Keys, k => k.Contains("__", StringComparison.Ordinal));
    }
}
