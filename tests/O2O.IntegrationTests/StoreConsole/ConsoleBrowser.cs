using Microsoft.Playwright;

namespace O2O.IntegrationTests.StoreConsole;

/// <summary>
/// One headless Chromium for the console tests: Debian's chromium (scripts/test.sh installs it),
/// never a browser Playwright downloads. Each test gets a context of its own (its own session
/// storage), with the page's content security policy bypassed only so axe-core can be injected.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    public static readonly string ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"No Chromium at {ExecutablePath}: scripts/test.sh installs Debian's chromium (or set CHROMIUM_PATH).");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Running as root in a container, on a machine with no route out: no sandbox, no GPU, no calls home.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task<IPage> NewPageAsync(Uri baseAddress, int width = 1024, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            BypassCSP = true,
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
        context.SetDefaultTimeout(15_000);
        // The console polls every 4 s: an assertion waits for a few polls, not Playwright's default 5 s (one poll and a loaded machine).
        Assertions.SetDefaultExpectTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>A page of the console signed in as <paramref name="store"/>'s clerk with a new key, its workspace showing.</summary>
    public async Task<IPage> SignedInAsync(StoreWorld world, string store, int width = 1024, int height = 800)
    {
        var page = await NewPageAsync(world.App.Host.BaseAddress(), width, height);
        await page.GotoAsync("/console/");
        await SignInAsync(page, store, await world.StoreKeyAsync(store));
        await Assertions.Expect(page.Locator("#workspace")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Fills in the sign-in form as a clerk would, and submits it.</summary>
    public static async Task SignInAsync(IPage page, string store, string key)
    {
        await page.GetByLabel("门店编号").FillAsync(store);
        await page.GetByLabel("门店密钥").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
    }

    /// <summary>Where screenshots go: beside the TRX results, so a CI run keeps them.</summary>
    public static string ScreenshotPath(string name)
    {
        var directory = Path.Combine(RepoRoot(), "TestResults", "screenshots");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }

    public static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Serverless.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Serverless.sln not found above the test binaries.");
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleBrowserCollection : ICollectionFixture<ConsoleBrowser>
{
    public const string Name = "console browser";
}
