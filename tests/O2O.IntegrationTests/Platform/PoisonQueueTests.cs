using O2O.Application.Operations;
using O2O.Application.Storage;

namespace O2O.IntegrationTests.Platform;

public sealed class PoisonQueueTests
{
    [Fact]
    public async Task A_message_the_host_gave_up_on_is_counted_for_the_alert()
    {
        var app = await TestApp.Shared;
        var poison = app.Queues.GetQueueClient(PoisonQueues.NameOf(StorageNames.PaymentChecksQueue));
        await poison.CreateIfNotExistsAsync();
        var before = (await app.Host.Services.GetRequiredService<PoisonQueues>().MeasureAsync(CancellationToken.None))[StorageNames.PaymentChecksQueue];

        await poison.SendMessageAsync("c0000000000000000-000000000000");
        var after = await app.Host.Services.GetRequiredService<PoisonQueues>().MeasureAsync(CancellationToken.None);

        Assert.Equal(before + 1, after[StorageNames.PaymentChecksQueue]);
        Assert.Equal(StorageNames.Queues.Order(), after.Keys.Order());
    }
}
