namespace O2O.Application.Storage.Outbox;

/// <summary>The Event Grid custom topic that domain events are published to.</summary>
public sealed class EventGridSettings : ISettingsSection
{
    public static string SectionName => "EventGrid";

    /// <summary>The topic's https://…/api/events endpoint; the local host's topic locally.</summary>
    public string TopicEndpoint { get; set; } = "";

    /// <summary>An access key, locally only; empty in Azure, where the app's identity sends (local auth is off).</summary>
    public string TopicKey { get; set; } = "";

    /// <summary>The client id of the user-assigned identity that holds the data-sender role; empty locally.</summary>
    public string ClientId { get; set; } = "";
}
