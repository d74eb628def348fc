using Azure;
using Azure.Data.Tables;
using O2O.Application.Storage;

namespace O2O.Application.Orders;

/// <summary>
/// A marker per event the buyer was told of ("ntf|{event id}", in the order's partition), so an
/// event Event Grid delivers twice is told once: claimed while it is being sent, then its outcome.
/// </summary>
public sealed partial class OrderTable
{
    private const string MarkerPrefix = "ntf|";
    private const string Sending = "Sending";

    /// <summary>
    /// The event's marker, claimed for this delivery; null when another delivery handled it or is
    /// handling it. A claim older than <paramref name="claimTimeout"/> still sending belongs to a
    /// sender that died mid-way, and is taken over.
    /// </summary>
    public async Task<NotificationMarker?> ClaimNotificationAsync(string consumerKey, string eventId, DateTimeOffset now, TimeSpan claimTimeout,
        CancellationToken cancellationToken)
    {
        var claim = new NotificationMarker { PartitionKey = consumerKey, RowKey = MarkerPrefix + eventId, State = Sending, At = now };
        try
        {
            claim.ETag = (await _table.AddEntityAsync(claim, cancellationToken)).Headers.ETag ?? ETag.All;
            return claim;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await _table.FindAsync<NotificationMarker>(consumerKey, claim.RowKey, cancellationToken);
            if (existing is null || existing.State != Sending || now - existing.At < claimTimeout) return null;
            try
            {
                claim.ETag = (await _table.UpdateEntityAsync(claim, existing.ETag, TableUpdateMode.Replace, cancellationToken)).Headers.ETag ?? ETag.All;
                return claim;
            }
            catch (RequestFailedException lost) when (lost.Status == 412)
            {
                return null;
            }
        }
    }

    /// <summary>Gives a claim up (the send failed), so the next delivery of the event may claim it again.</summary>
    public Task ReleaseNotificationAsync(NotificationMarker claim) =>
        _table.DeleteEntityAsync(claim.PartitionKey, claim.RowKey, claim.ETag, CancellationToken.None);

    public Task FinishNotificationAsync(NotificationMarker claim, string outcome, CancellationToken cancellationToken)
    {
        claim.State = outcome;
        return _table.UpdateEntityAsync(claim, ETag.All, TableUpdateMode.Replace, cancellationToken);
    }

    public sealed class NotificationMarker : TableRow
    {
        public string State { get; set; } = "";
        public DateTimeOffset At { get; set; }
    }
}
