using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using O2O.Domain.Common;

namespace O2O.IntegrationTests.Orders;

public sealed class CheckoutTests
{
    [Fact]
    public async Task Pickup_at_a_chosen_store_is_priced_from_the_catalog_and_reserves_its_stock()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync(priceFen: 1800, name: "茉莉奶茶");
        var cake = await world.SkuAsync(priceFen: 3800);
        var store = await world.StoreAsync(0, stock: [(tea, 10), (cake, 5)]);
        using var consumer = await world.App.NewConsumerAsync();

        var response = await consumer.PlaceRawAsync($$"""
            {"items":[{"sku":"{{tea}}","quantity":2,"unitPriceFen":1},{"sku":"{{cake}}","quantity":1}],
             "fulfillment":{"mode":"pickup","storeId":"{{store}}"},"totalFen":1,"note":" less sugar ","agentCode":"A-7F3K"}
            """, Guid.NewGuid().ToString());

        var order = await response.ReadOkAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/orders/{order.GetProperty("orderId").GetString()}", response.Headers.Location?.OriginalString);
        Assert.Equal("PendingPayment", order.GetProperty("status").GetString());
        Assert.Equal("pickup", order.GetProperty("mode").GetString());
        Assert.Equal(store, order.GetProperty("storeId").GetString());
        Assert.Equal(2 * 1800 + 3800, order.GetProperty("totalFen").GetInt64());
        var firstLine = order.GetProperty("items")[0];
        Assert.Equal("茉莉奶茶", firstLine.GetProperty("name").GetString());
        Assert.Equal(1800, firstLine.GetProperty("unitPriceFen").GetInt64());
        Assert.Equal(3600, firstLine.GetProperty("lineTotalFen").GetInt64());
        Assert.Equal("less sugar", order.GetProperty("note").GetString());
        Assert.Equal("A-7F3K", order.GetProperty("agentCode").GetString());
        Assert.Equal(TimeSpan.FromMinutes(15), order.GetProperty("payBy").GetDateTimeOffset() - order.GetProperty("createdAt").GetDateTimeOffset());
        var placed = Assert.Single(order.GetProperty("timeline").EnumerateArray());
        Assert.Equal("PendingPayment", placed.GetProperty("status").GetString());
        Assert.Equal("consumer", placed.GetProperty("by").GetString());

        Assert.Equal((10, 2, 8), await world.StockAsync(store, tea));
        Assert.Equal((5, 1, 4), await world.StockAsync(store, cake));
    }

    [Fact]
    public async Task A_consumer_with_five_unpaid_orders_is_told_429_and_holds_no_more_stock_until_one_is_paid()
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync(onHand: 20);
        using var consumer = await world.App.NewConsumerAsync();
        var keys = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid().ToString()).ToList();
        var orderIds = new List<string>();
        foreach (var key in keys)
            orderIds.Add((await (await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 1)),
                key)).ReadOkAsync(HttpStatusCode.Created)).GetProperty("orderId").GetString()!);

        var sixth = await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 1)));
        var stockAfterRefusal = await world.StockAsync(store, tea);
        var replay = await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 1)), keys[0]);
        await consumer.PayAsync(world.App, orderIds[0]);
        var afterPaying = await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 1)));

        var problem = await sixth.ReadProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.TooManyUnpaidOrders);
        Assert.Contains("5 unpaid orders", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((20, 5, 15), stockAfterRefusal); // the refused order's units were given back
        Assert.Equal(orderIds[0], (await replay.ReadOkAsync(HttpStatusCode.Created)).GetProperty("orderId").GetString());
        await afterPaying.ReadOkAsync(HttpStatusCode.Created);
        Assert.Equal((20, 6, 14), await world.StockAsync(store, tea));
    }

    [Fact]
    public async Task Forty_checkouts_of_one_buyer_at_once_on_two_instances_never_hold_more_than_five_unpaid_orders()
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync(onHand: 50);
        // A second instance of the app on the same storage: turns within an instance do not help across them, the intake row's ETag does.
        await using var other = await TestApp.StartAsync(TestApp.HttpFunctionTypes);
        var openId = "o-" + Guid.NewGuid().ToString("N");
        using var onFirst = await world.App.NewConsumerAsync(openId);
        using var onSecond = await other.NewConsumerAsync(openId);

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? onFirst : onSecond).PlaceAsync(Checkout.PickupAt(store, (tea, 1)))));

        var placed = answers.Count(a => a.StatusCode == HttpStatusCode.Created);
        Assert.InRange(placed, 1, 5);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created),
            a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable }));
        var mine = await (await onFirst.GetAsync("orders?pageSize=50")).ReadOkAsync();
        Assert.Equal(placed, mine.GetProperty("items").EnumerateArray().Count(o => o.GetProperty("status").GetString() == "PendingPayment"));
        Assert.Equal((50, placed, 50 - placed), await world.StockAsync(store, tea)); // every refused checkout gave its unit back
    }

    [Fact]
    public async Task More_units_of_one_sku_than_an_order_may_take_is_a_validation_error_that_reserves_nothing()
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync(onHand: 50);
        using var consumer = await world.App.NewConsumerAsync();

        var answer = await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 21)));

        var problem = await answer.ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        Assert.True(problem.GetProperty("errors").TryGetProperty("items[0].quantity", out _));
        Assert.Equal((50, 0, 50), await world.StockAsync(store, tea));
    }

    [Fact]
    public async Task A_repeated_request_returns_the_same_order_and_reserves_once()
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync();
        using var consumer = await world.App.NewConsumerAsync();
        var key = Guid.NewGuid().ToString();

        var first = await (await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 3)), key)).ReadOkAsync(HttpStatusCode.Created);
        var again = await (await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 3)), key)).ReadOkAsync(HttpStatusCode.Created);

        Assert.Equal(first.GetProperty("orderId").GetString(), again.GetProperty("orderId").GetString());
        Assert.Equal(first.GetProperty("createdAt").GetDateTimeOffset(), again.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal((10, 3, 7), await world.StockAsync(store, tea));
        var list = await (await consumer.GetAsync("orders")).ReadOkAsync();
        Assert.Single(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Concurrent_repeats_of_one_request_make_one_order()
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync();
        using var consumer = await world.App.NewConsumerAsync();
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 1)), key)));

        // Each answer is the order or "still being placed, retry"; never a second order.
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Created);
        var ids = new HashSet<string>();
        foreach (var created in responses.Where(r => r.StatusCode == HttpStatusCode.Created))
            ids.Add((await created.ReadOkAsync(HttpStatusCode.Created)).GetProperty("orderId").GetString()!);
        Assert.Single(ids);
        Assert.Equal((10, 1, 9), await world.StockAsync(store, tea));
    }

    [Fact]
    public async Task A_retry_of_a_request_that_died_between_its_transactions_places_the_order_once_the_first_can_no_longer()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartWithClockAsync(clock, ownStorage: true);
        var world = new StoreWorld(app);
        var (tea, store) = await world.StockedStoreAsync();
        var checkout = app.Host.Services.GetRequiredService<CheckoutService>();
        var consumerKey = OrderIds.ConsumerKey("o-" + Guid.NewGuid().ToString("N"));
        var cart = new CartInput([new LineInput(tea, 2)], new FulfillmentInput("pickup", store, null, null, null), null, null);
        var orderId = (await checkout.PlaceAsync(consumerKey, "k1", cart, CancellationToken.None)).Value!.Order.OrderId;
        // The crash: the first request reserved the units, then its order transaction never happened.
        var orders = app.Tables.GetTableClient("Orders");
        await foreach (var row in orders.QueryAsync<TableEntity>(e => e.PartitionKey == consumerKey))
            await orders.DeleteEntityAsync(row.PartitionKey, row.RowKey);

        var tooSoon = await checkout.PlaceAsync(consumerKey, "k1", cart, CancellationToken.None);
        clock.Advance(CheckoutService.IntakeDeadline + TimeSpan.FromSeconds(1));
        var retried = await checkout.PlaceAsync(consumerKey, "k1", cart, CancellationToken.None);

        Assert.Equal(ErrorCodes.Conflict, tooSoon.Error!.Code); // the first request might still write it
        Assert.Equal(orderId, retried.Value!.Order.OrderId);
        Assert.NotNull(await app.Host.Services.GetRequiredService<OrderTable>().GetAsync(consumerKey, orderId, CancellationToken.None));
        Assert.Equal((10, 2, 8), await world.StockAsync(store, tea));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused_and_changes_nothing()
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync();
        using var consumer = await world.App.NewConsumerAsync();
        var key = Guid.NewGuid().ToString();
        await (await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 1)), key)).ReadOkAsync(HttpStatusCode.Created);

        await (await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 5)), key)).ReadProblemAsync(HttpStatusCode.UnprocessableEntity,
            "idempotency_key_reused");

        Assert.Equal((10, 1, 9), await world.StockAsync(store, tea));
    }

    [Fact]
    public async Task Idempotency_keys_belong_to_one_consumer()
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync();
        using var alice = await world.App.NewConsumerAsync();
        using var bob = await world.App.NewConsumerAsync();
        const string key = "checkout-1";

        var hers = await (await alice.PlaceAsync(Checkout.PickupAt(store, (tea, 1)), key)).ReadOkAsync(HttpStatusCode.Created);
        var his = await (await bob.PlaceAsync(Checkout.PickupAt(store, (tea, 1)), key)).ReadOkAsync(HttpStatusCode.Created);

        Assert.NotEqual(hers.GetProperty("orderId").GetString(), his.GetProperty("orderId").GetString());
        Assert.Equal((10, 2, 8), await world.StockAsync(store, tea));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    public async Task An_order_needs_a_usable_idempotency_key(string? key)
    {
        var world = await StoreWorld.CreateAsync();
        var (tea, store) = await world.StockedStoreAsync();
        using var consumer = await world.App.NewConsumerAsync();

        await (await consumer.PlaceRawAsync(JsonSerializer.Serialize(Checkout.PickupAt(store, (tea, 1))), key)).ReadValidationProblemAsync("Idempotency-Key");

        Assert.Equal((10, 0, 10), await world.StockAsync(store, tea));
    }

    public static TheoryData<string, string> BadBodies() => new()
    {
        { """{"items":[],"fulfillment":{"mode":"pickup","storeId":"$STORE"}}""", "items" },
        { """{"fulfillment":{"mode":"pickup","storeId":"$STORE"}}""", "items" },
        { """{"items":[{"sku":"$TEA","quantity":0}],"fulfillment":{"mode":"pickup","storeId":"$STORE"}}""", "items[0].quantity" },
        { """{"items":[{"sku":"$TEA","quantity":100}],"fulfillment":{"mode":"pickup","storeId":"$STORE"}}""", "items[0].quantity" },
        { """{"items":[{"sku":"$TEA","quantity":-3}],"fulfillment":{"mode":"pickup","storeId":"$STORE"}}""", "items[0].quantity" },
        { """{"items":[{"sku":"$TEA","quantity":"2"}],"fulfillment":{"mode":"pickup","storeId":"$STORE"}}""", "items[0].quantity" },
        { """{"items":[{"sku":"$TEA","quantity":1},{"sku":"$TEA","quantity":1}],"fulfillment":{"mode":"pickup","storeId":"$STORE"}}""", "items[1].sku" },
        { """{"items":[{"sku":"$TEA","quantity":1},{"sku":"NO-SUCH-SKU","quantity":1}],"fulfillment":{"mode":"pickup","storeId":"$STORE"}}""", "items[1].sku" },
        { """{"items":[{"sku":"$OFF","quantity":1}],"fulfillment":{"mode":"pickup","storeId":"$STORE"}}""", "items[0].sku" },
        { """{"items":[{"sku":"$TEA","quantity":1}]}""", "fulfillment" },
        { """{"items":[{"sku":"$TEA","quantity":1}],"fulfillment":{"mode":"pickup"}}""", "fulfillment" },
        { """{"items":[{"sku":"$TEA","quantity":1}],"fulfillment":{"mode":"drone"}}""", "fulfillment.mode" },
        { """{"items":[{"sku":"$TEA","quantity":1}],"fulfillment":{"mode":"pickup","storeId":"NO-SUCH-STORE"}}""", "fulfillment.storeId" },
        { """{"items":[{"sku":"$TEA","quantity":1}],"fulfillment":{"mode":"pickup","near":{"lat":95,"lng":121}}}""", "fulfillment.near.lat" },
        { """{"items":[{"sku":"$TEA","quantity":1}],"fulfillment":{"mode":"delivery","address":{"line":"x","city":"Shanghai","lat":31.2,"lng":121.4},"contact":{"name":"Li"}}}""", "fulfillment.contact.phone" },
        { """{"items":[{"sku":"$TEA","quantity":1}],"fulfillment":{"mode":"delivery","contact":{"name":"Li","phone":"13800138000"}}}""", "fulfillment.address.line" },
        { """{"items":[{"sku":"$TEA","quantity":1}],"fulfillment":{"mode":"pickup","storeId":"$STORE"},"note":"$LONG"}""", "note" },
        { """{"items":[{"sku":"$TEA","quantity":1}],"fulfillment":{"mode":"pickup","storeId":"$STORE"},"agentCode":"no spaces"}""", "agentCode" },
        { """{"items":[{"sku":"$TEA","quantity":1}],"fulfillment":{"mode":"pickup","storeId":"$STORE"}""", "body" },
        { """[]""", "body" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_order_is_a_400_naming_the_field_and_reserves_nothing(string template, string field)
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var off = await world.SkuAsync(active: false);
        var store = await world.StoreAsync(0, stock: [(tea, 10), (off, 10)]);
        using var consumer = await world.App.NewConsumerAsync();
        var body = template.Replace("$TEA", tea, StringComparison.Ordinal).Replace("$OFF", off, StringComparison.Ordinal)
            .Replace("$STORE", store, StringComparison.Ordinal).Replace("$LONG", new string('x', 201), StringComparison.Ordinal);

        await (await consumer.PlaceRawAsync(body, Guid.NewGuid().ToString())).ReadValidationProblemAsync(field);

        Assert.Equal((10, 0, 10), await world.StockAsync(store, tea));
        Assert.Empty((await (await consumer.GetAsync("orders")).ReadOkAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task More_than_fifty_lines_is_a_400()
    {
        var world = await StoreWorld.CreateAsync();
        using var consumer = await world.App.NewConsumerAsync();
        var items = Enumerable.Range(0, 51).Select(i => ($"SKU-{i}", 1)).ToArray();

        await (await consumer.PlaceAsync(Checkout.PickupAt("S-001", items))).ReadValidationProblemAsync("items");
    }

    [Fact]
    public async Task Pickup_at_a_store_short_of_stock_is_out_of_stock_and_reserves_nothing()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var cake = await world.SkuAsync();
        var store = await world.StoreAsync(0, stock: [(tea, 10), (cake, 1)]);
        using var consumer = await world.App.NewConsumerAsync();

        await (await consumer.PlaceAsync(Checkout.PickupAt(store, (tea, 2), (cake, 2)))).ReadProblemAsync(HttpStatusCode.Conflict, "out_of_stock");

        Assert.Equal((10, 0, 10), await world.StockAsync(store, tea));
        Assert.Equal((1, 0, 1), await world.StockAsync(store, cake));
    }

    [Fact]
    public async Task Pickup_at_a_store_switched_off_is_store_closed_and_at_one_without_pickup_no_store_available()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var closed = await world.StoreAsync(0, open: false, stock: [(tea, 10)]);
        var deliveryOnly = await world.StoreAsync(100, pickup: false, stock: [(tea, 10)]);
        using var consumer = await world.App.NewConsumerAsync();

        var switchedOff = await (await consumer.PlaceAsync(Checkout.PickupAt(closed, (tea, 1)))).ReadProblemAsync(HttpStatusCode.Conflict, "store_closed");
        Assert.Contains("closed", switchedOff.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await consumer.PlaceAsync(Checkout.PickupAt(deliveryOnly, (tea, 1)))).ReadProblemAsync(HttpStatusCode.Conflict, "no_store_available");
    }

    [Fact]
    public async Task Pickup_near_a_position_goes_to_the_nearest_open_store_that_has_everything()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var cake = await world.SkuAsync();
        await world.StoreAsync(500, stock: [(tea, 10)]); // nearest, but no cake
        await world.StoreAsync(800, open: false, stock: [(tea, 10), (cake, 10)]); // closed
        var expected = await world.StoreAsync(2000, stock: [(tea, 10), (cake, 10)]);
        await world.StoreAsync(3000, stock: [(tea, 10), (cake, 10)]); // further
        using var consumer = await world.App.NewConsumerAsync();

        var order = await (await consumer.PlaceAsync(Checkout.PickupNear(world.At(0), (tea, 1), (cake, 1)))).ReadOkAsync(HttpStatusCode.Created);

        Assert.Equal(expected, order.GetProperty("storeId").GetString());
        Assert.Equal((10, 1, 9), await world.StockAsync(expected, cake));
    }

    [Fact]
    public async Task Delivery_goes_only_to_a_store_whose_radius_covers_the_address()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        await world.StoreAsync(1000, radiusM: 800, stock: [(tea, 10)]); // nearest, radius too small
        await world.StoreAsync(1500, delivery: false, stock: [(tea, 10)]); // pickup only
        var expected = await world.StoreAsync(4000, radiusM: 5000, stock: [(tea, 10)]);
        using var consumer = await world.App.NewConsumerAsync();

        var order = await (await consumer.PlaceAsync(Checkout.Delivery(world.At(0), (tea, 2)))).ReadOkAsync(HttpStatusCode.Created);

        Assert.Equal(expected, order.GetProperty("storeId").GetString());
        Assert.Equal("delivery", order.GetProperty("mode").GetString());
        Assert.Equal("13800138000", order.GetProperty("delivery").GetProperty("contact").GetProperty("phone").GetString());
        await (await consumer.PlaceAsync(Checkout.Delivery(world.At(-20_000), (tea, 1)))).ReadProblemAsync(HttpStatusCode.Conflict, "no_store_available");
    }

    [Fact]
    public async Task When_the_nearest_store_sells_out_checkout_routes_to_the_next()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var near = await world.StoreAsync(100, stock: [(tea, 1)]);
        var far = await world.StoreAsync(900, stock: [(tea, 1)]);
        using var consumer = await world.App.NewConsumerAsync();

        var first = await (await consumer.PlaceAsync(Checkout.PickupNear(world.At(0), (tea, 1)))).ReadOkAsync(HttpStatusCode.Created);
        var second = await (await consumer.PlaceAsync(Checkout.PickupNear(world.At(0), (tea, 1)))).ReadOkAsync(HttpStatusCode.Created);
        await (await consumer.PlaceAsync(Checkout.PickupNear(world.At(0), (tea, 1)))).ReadProblemAsync(HttpStatusCode.Conflict, "no_store_available");

        Assert.Equal(near, first.GetProperty("storeId").GetString());
        Assert.Equal(far, second.GetProperty("storeId").GetString());
    }

    [Fact]
    public async Task Two_hundred_concurrent_checkouts_of_fifty_units_sell_exactly_fifty()
    {
        var world = await StoreWorld.CreateAsync();
        var tea = await world.SkuAsync();
        var store = await world.StoreAsync(0, stock: [(tea, 50)]);
        var consumers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => world.App.NewConsumerAsync()));

        var responses = await Task.WhenAll(consumers.Select(c => c.PlaceAsync(Checkout.PickupAt(store, (tea, 1)))));

        Assert.Equal(50, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            await refused.ReadProblemAsync(HttpStatusCode.Conflict, "out_of_stock");
        Assert.Equal((50, 50, 0), await world.StockAsync(store, tea));
        foreach (var consumer in consumers) consumer.Dispose();
    }
}
