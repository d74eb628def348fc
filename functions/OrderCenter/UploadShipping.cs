using O2O.Application.OrderCenter;
using O2O.Application.Storage;

namespace O2O.Functions.OrderCenter;

/// <summary>Uploads a fulfilled order's shipping information to WeChat's order center; WeChat busy throws, and the host retries.</summary>
public sealed class UploadShipping(ShippingUploads uploads)
{
    [Function(nameof(UploadShipping))]
    public Task Run([QueueTrigger(StorageNames.ShippingUploadsQueue)] string orderId, CancellationToken cancellationToken) =>
        uploads.UploadAsync(orderId, cancellationToken);
}
