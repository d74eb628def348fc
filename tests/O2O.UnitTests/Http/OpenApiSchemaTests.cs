using System.Reflection;
using System.Text.Json;
using O2O.Application.AfterSales;
using O2O.Application.Agents;
using O2O.Application.Auth;
using O2O.Application.Catalog;
using O2O.Application.Orders;
using O2O.Application.Payments.WeChatPay;
using O2O.Application.StoreOrders;
using O2O.Application.Stores;
using O2O.Domain.AfterSales;
using O2O.Domain.Agents;
using O2O.Domain.Orders;
using O2O.Domain.Stores;
using O2O.Functions.Http;

namespace O2O.UnitTests.Http;

/// <summary>
/// openapi.json is written by hand; every schema of a body the app reads or writes is held to the
/// C# record it describes, property by property, so a property renamed, added or dropped in C#
/// fails here until the contract says the same.
/// </summary>
public sealed class OpenApiSchemaTests
{
    private static readonly JsonElement Schemas =
        JsonDocument.Parse(EmbeddedFiles.Find("openapi.json")!.Content).RootElement.GetProperty("components").GetProperty("schemas");

    public static TheoryData<string, Type> Described => new()
    {
        { "LoginRequest", typeof(O2O.Functions.Auth.WeChatLogin.LoginRequest) },
        { "Session", typeof(SessionView) },
        { "PlaceOrderRequest", typeof(CartInput) },
        { "OrderLine", typeof(OrderLineView) },
        { "Order", typeof(OrderView) },
        { "OrderPage", typeof(OrderPage) },
        { "PayParameters", typeof(PayParameters) },
        { "StoreOrderPage", typeof(StoreOrderPage) },
        { "CodeRequest", typeof(O2O.Functions.Pickup.VerifyPickup.VerifyRequest) },
        { "RejectRequest", typeof(O2O.Functions.StoreOrders.RejectOrder.RejectRequest) },
        { "Stock", typeof(StockView) },
        { "StockAdjustmentRequest", typeof(StockAdjustmentRequest) },
        { "SoldOutRequest", typeof(SoldOutRequest) },
        { "StockRequest", typeof(StockRequest) },
        { "NearbyStore", typeof(NearbyStoreView) },
        { "SkuRequest", typeof(SkuRequest) },
        { "Sku", typeof(SkuView) },
        { "StoreRequest", typeof(StoreInput) },
        { "Store", typeof(StoreView) },
        { "OpeningHours", typeof(OpeningHoursInput) },
        { "StoreProfile", typeof(StoreProfileView) },
        { "ModeHours", typeof(ModeHoursView) },
        { "HoursException", typeof(HoursExceptionInput) },
        { "Slots", typeof(SlotsInput) },
        { "SlotPolicy", typeof(SlotPolicyInput) },
        { "SlotList", typeof(SlotsView) },
        { "Slot", typeof(SlotView) },
        { "Promise", typeof(PromiseView) },
        { "IssuedStoreKey", typeof(IssuedStoreKey) },
        { "AfterSalesRequest", typeof(AfterSalesInput) },
        { "AfterSalesAnswer", typeof(CaseAnswerInput) },
        { "AfterSalesCase", typeof(CaseView) },
        { "AfterSalesPage", typeof(CasePage) },
        { "AgentRequest", typeof(AgentInput) },
        { "Agent", typeof(AgentView) },
        { "ShareCodeRequest", typeof(ShareCodeInput) },
        { "ShareCode", typeof(ShareCodeView) },
        { "CommissionAccount", typeof(LedgerPage) },
        { "WithdrawalRequest", typeof(WithdrawalInput) },
        { "Withdrawal", typeof(WithdrawalView) },
        { "SignInPage", typeof(O2O.Application.HeadOffice.SignInPage) },
        { "Staff", typeof(O2O.Domain.HeadOffice.Staff) },
        { "AuditEntry", typeof(O2O.Application.HeadOffice.AuditEntry) },
    };

    [Theory]
    [MemberData(nameof(Described))]
    public void A_schema_names_exactly_the_properties_of_its_record(string schema, Type record)
    {
        var described = Schemas.GetProperty(schema).GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        var serialised = record.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Order(StringComparer.Ordinal);

        Assert.Equal(serialised, described);
    }

    [Fact]
    public void Every_schema_but_the_problem_is_held_to_a_record()
    {
        var held = Described.Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(["Problem"], Schemas.EnumerateObject().Select(s => s.Name).Where(s => !held.Contains(s)));
    }
}
