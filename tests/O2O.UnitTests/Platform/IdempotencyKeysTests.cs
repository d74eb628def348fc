using O2O.Application.Platform;
using O2O.Domain.Orders;

namespace O2O.UnitTests.Platform;

public sealed class IdempotencyKeysTests
{
    [Theory]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("order:2026-12-07T08:00:00Z|1")]
    [InlineData("k")]
    public void A_key_any_caller_can_store_as_a_row_key_is_usable(string key) =>
        Assert.True(IdempotencyKeys.IsUsable(key, "each order", out _));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("键")]
    public void A_missing_or_unstorable_key_is_a_validation_error_naming_the_header(string? key)
    {
        Assert.False(IdempotencyKeys.IsUsable(key, "each case", out var problem));
        Assert.True(problem.FieldErrors!.ContainsKey("Idempotency-Key"));
        Assert.False(IdempotencyKeys.IsUsable(new string('k', IdempotencyKeys.MaxLength + 1), "each case", out _));
    }

    [Fact]
    public void The_same_request_parsed_twice_hashes_the_same_and_a_different_one_does_not()
    {
        var cart = new CartInput([new LineInput("TEA-001", 2)], new FulfillmentInput("pickup", "S-001", null, null, null), null, null);

        var again = new CartInput([new LineInput("TEA-001", 2)], new FulfillmentInput("pickup", "S-001", null, null, null), null, null);

        Assert.Equal(IdempotencyKeys.RequestHash(cart), IdempotencyKeys.RequestHash(again));
        Assert.NotEqual(IdempotencyKeys.RequestHash(cart), IdempotencyKeys.RequestHash(cart with { Items = [new LineInput("TEA-001", 3)] }));
    }
}
