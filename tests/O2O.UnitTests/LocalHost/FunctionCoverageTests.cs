using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using O2O.Functions.Operations;
using O2O.LocalHost;

namespace O2O.UnitTests.LocalHost;

/// <summary>Whatever the app declares as a function, the local host serves the same way.</summary>
public sealed class FunctionCoverageTests
{
    [Fact]
    public void The_local_host_serves_every_function_of_the_app()
    {
        var types = typeof(GetHealth).Assembly.GetTypes();
        var declared = types.SelectMany(t => t.GetMethods()).Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null).ToList();

        var index = FunctionIndex.Discover(types);

        Assert.Empty(index.Unsupported);
        Assert.NotEmpty(declared);
        Assert.Equal(declared.Count, index.Count);
    }

    [Fact]
    public void Routes_match_the_http_contract()
    {
        var routes = FunctionIndex.Discover(typeof(GetHealth).Assembly.GetTypes()).Http
            .SelectMany(f => f.Verbs!.Select(v => $"{v.ToUpperInvariant()} {f.Route}")).ToHashSet();

        Assert.Contains("PUT api/admin/skus/{sku}", routes);
        Assert.Contains("PUT api/admin/stores/{storeId}", routes);
        Assert.Contains("PUT api/admin/stores/{storeId}/stock/{sku}", routes);
    }

    [Theory]
    [InlineData(typeof(WithOutputBinding), "output bindings")]
    [InlineData(typeof(WithFunctionContext), "FunctionContext")]
    [InlineData(typeof(WithHttpRequestData), "HttpRequest")]
    [InlineData(typeof(WithFiveFieldCron), "6-field")]
    [InlineData(typeof(WithOtherConnection), "connection")]
    [InlineData(typeof(OnTheHostsStorage), "connection")]
    [InlineData(typeof(WithTwoTriggers), "exactly one trigger")]
    public void A_function_the_local_host_would_not_serve_is_reported(Type functions, string reason)
    {
        var index = FunctionIndex.Discover([functions]);

        Assert.Equal(0, index.Count);
        Assert.Contains(reason, Assert.Single(index.Unsupported), StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => LocalFunctionsHost.Build(new LocalHostOptions { FunctionTypes = [functions] }));
    }

    public sealed class WithOutputBinding
    {
        [Function("Out")]
        [QueueOutput("somewhere")]
        public static string Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => "x";
    }

    public sealed class WithFunctionContext
    {
        [Function("Context")]
        public static IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request, FunctionContext context) => new OkResult();
    }

    public sealed class WithHttpRequestData
    {
        [Function("RequestData")]
        public static HttpResponseData Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequestData request) => request.CreateResponse();
    }

    public sealed class WithFiveFieldCron
    {
        [Function("FiveFields")]
        public static void Run([TimerTrigger("*/5 * * * *")] TimerInfo timer)
        {
        }
    }

    /// <summary>No Connection: the host's own account, where the app's queues are not.</summary>
    public sealed class OnTheHostsStorage
    {
        [Function("OnTheHostsStorage")]
        public static void Run([QueueTrigger("q")] string message)
        {
        }
    }

    public sealed class WithOtherConnection
    {
        [Function("OtherStorage")]
        public static void Run([QueueTrigger("q", Connection = "OtherStorage")] string message)
        {
        }
    }

    public sealed class WithTwoTriggers
    {
        [Function("TwoTriggers")]
        public static void Run([QueueTrigger("q")] string message, [TimerTrigger("0 * * * * *")] TimerInfo timer)
        {
        }
    }
}
