using O2O.Application.OrderCenter;
using O2O.Domain.Orders;

namespace O2O.UnitTests.OrderCenter;

public sealed class ShippingInfoTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 5, 56, 7, 120, TimeSpan.Zero);

    private static Order Paid(params OrderLine[] lines)
    {
        var order = Order.Place("o-1", "c-1", lines, new Fulfillment.PickupAt("S-001"), "S-001", Now.AddMinutes(-30), TimeSpan.FromMinutes(15), null, null);
        order.RecordPayment("tx-1", order.TotalFen, Now.AddMinutes(-29));
        return order;
    }

    [Fact]
    public void A_pickup_is_told_only_once_handed_over_as_buyer_pickup_at_that_time_in_china_time()
    {
        var order = Paid(new OrderLine("TEA", "Jasmine milk tea", 2, 1800), new OrderLine("CAKE", "Mango cake", 1, 3000));
        order.Accept(Now.AddMinutes(-20), "store:S-001");
        order.MarkReady(Now.AddMinutes(-10), "store:S-001", () => new PickupRecord("123456", Now.AddHours(48)));
        var ready = ShippingInfo.Of(order);

        order.MarkPickedUp(Now, "store:S-001");
        var info = ShippingInfo.Of(order)!;

        Assert.Null(ready);
        Assert.Equal(ShippingInfo.BuyerPickup, info.LogisticsType);
        Assert.Equal("2026-12-07T13:56:07.120+08:00", info.UploadTime);
        Assert.Equal("Jasmine milk tea×2、Mango cake×1", info.ItemDesc);
    }

    [Fact]
    public void An_order_cancelled_before_it_was_fulfilled_has_nothing_to_tell()
    {
        var order = Paid(new OrderLine("TEA", "Tea", 1, 1800));
        order.Cancel(Now, "consumer", "changed my mind");

        Assert.Null(ShippingInfo.Of(order));
    }

    [Fact]
    public void The_item_description_is_cut_to_wechats_120_characters()
    {
        var lines = Enumerable.Range(1, 30).Select(i => new OrderLine($"SKU-{i}", $"Seasonal fruit tea no. {i}", 1, 1000));

        var text = ShippingInfo.ItemDescOf(lines);

        Assert.Equal(ShippingInfo.MaxItemDescLength, text.Length);
        Assert.EndsWith("…", text, StringComparison.Ordinal);
        Assert.StartsWith("Seasonal fruit tea no. 1×1、Seasonal fruit tea no. 2×1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Receipt_and_settlement_are_each_raised_once_however_often_wechat_pushes_them()
    {
        var order = Paid(new OrderLine("TEA", "Tea", 1, 1800));
        var before = order.NewEvents.Count;

        order.ConfirmReceipt(Now);
        order.ConfirmReceipt(Now.AddMinutes(1));
        order.RecordSettlement(Now.AddDays(1));
        order.RecordSettlement(Now.AddDays(2));

        Assert.Equal([OrderEventTypes.ReceiptConfirmed, OrderEventTypes.Settled], order.NewEvents.Skip(before).Select(e => e.Type));
        Assert.Equal((Now, Now.AddDays(1)), (order.OrderCenter!.ReceiptConfirmedAt!.Value, order.OrderCenter.SettledAt!.Value));
    }

    [Fact]
    public void A_push_signature_is_sha1_of_the_sorted_parts_and_a_safe_mode_message_decrypts_only_for_its_appid()
    {
        const string aesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

        var encrypted = WeChatPush.Encrypt("""{"Event":"trade_manage_remind_shipping"}""", aesKey, "wx-app");

        // Computed apart from this code: hashlib.sha1("".join(sorted(["AAAAA", "1714037059", "486452656"]))).
        Assert.Equal("899cf89e464efb63f54ddac96b0a0a235f53aa78", WeChatPush.Signature("AAAAA", "1714037059", "486452656"));
        Assert.True(WeChatPush.SignatureMatches("899CF89E464EFB63F54DDAC96B0A0A235F53AA78", "486452656", "AAAAA", "1714037059"));
        Assert.False(WeChatPush.SignatureMatches("899cf89e464efb63f54ddac96b0a0a235f53aa79", "AAAAA", "1714037059", "486452656"));
        Assert.Equal("""{"Event":"trade_manage_remind_shipping"}""", WeChatPush.Decrypt(encrypted, aesKey, "wx-app"));
        Assert.Null(WeChatPush.Decrypt(encrypted, aesKey, "wx-other"));
        Assert.Null(WeChatPush.Decrypt(encrypted[..^8] + "AAAAAAA=", aesKey, "wx-app"));
        Assert.Null(WeChatPush.Decrypt("not base64!", aesKey, "wx-app"));
    }
}
