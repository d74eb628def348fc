namespace O2O.Domain.Common;

/// <summary>The stable machine codes of API.md; clients switch on these, so never rename one.</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string InvalidTransition = "invalid_transition";
    public const string OutOfStock = "out_of_stock";
    public const string NoStoreAvailable = "no_store_available";

    /// <summary>The store (or every store within reach) does not take orders now: its switch, its hours, a holiday, the cut-off before closing.</summary>
    public const string StoreClosed = "store_closed";

    /// <summary>No store that could serve the order offers the slot asked for (not one of its slots, or no slots for the mode).</summary>
    public const string SlotUnavailable = "slot_unavailable";

    /// <summary>The slot asked for is offered but every place in it is taken; the detail names the next ones with room.</summary>
    public const string SlotFull = "slot_full";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string RateLimited = "rate_limited";
    public const string TooManyUnpaidOrders = "too_many_unpaid_orders";
    public const string Conflict = "conflict";

    /// <summary>A pickup code that was right, but whose goods were already handed over.</summary>
    public const string PickupCodeUsed = "pickup_code_used";

    /// <summary>A pickup code that was right, but whose hold time ended: the order is being cancelled and refunded.</summary>
    public const string PickupCodeExpired = "pickup_code_expired";

    /// <summary>A scanned pickup QR code of another store: the consumer is at the wrong counter.</summary>
    public const string WrongStore = "wrong_store";
    /// <summary>A pickup code that was right, but every unit of its order was refunded in the store: nothing is handed over.</summary>
    public const string NothingToHandOver = "nothing_to_hand_over";

    /// <summary>An after-sales case of the order waits for an answer: the goods are not handed over or dispatched meanwhile.</summary>
    public const string AfterSalesOpen = "after_sales_open";

    /// <summary>The after-sales window of the order (days after pickup or delivery) has closed.</summary>
    public const string AfterSalesWindowClosed = "after_sales_window_closed";

    /// <summary>A case refunds more than the store may approve: head office does.</summary>
    public const string ApprovalLimitExceeded = "approval_limit_exceeded";
    /// <summary>The agent's account was deactivated by head office: no withdrawal until it is active again.</summary>
    public const string AgentInactive = "agent_inactive";
    public const string WeChatCodeInvalid = "wechat_code_invalid";
    public const string WeChatUserBlocked = "wechat_user_blocked";
    public const string WeChatUnavailable = "wechat_unavailable";
    public const string WeChatPayUnavailable = "wechatpay_unavailable";
    public const string ServiceUnavailable = "service_unavailable";
}
