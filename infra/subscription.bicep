// The notifications webhook's subscription to the domain events topic. Deployed after the code
// (azure.yaml's postdeploy hook), because Event Grid validates the webhook when the subscription
// is created, and the webhook must already answer the handshake.
targetScope = 'resourceGroup'

param topicName string
param functionAppName string
param storageAccountName string
param deadLetterContainerName string

@secure()
@description('The key the webhook expects in its query string (the app\'s Notifications__WebhookKey).')
param webhookKey string

resource topic 'Microsoft.EventGrid/topics@2025-02-15' existing = {
  name: topicName
}

resource app 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource notifications 'Microsoft.EventGrid/topics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: 'consumer-notifications'
  properties: {
    eventDeliverySchema: 'CloudEventSchemaV1_0'
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${app.properties.defaultHostName}/api/events/notifications?key=${webhookKey}'
        maxEventsPerBatch: 1
      }
    }
    filter: {
      // What consumers hear about; the webhook ignores the rest anyway.
      includedEventTypes: [
        'o2o.order.ready_for_pickup'
        'o2o.delivery.dispatched'
        'o2o.order.delivered'
        'o2o.order.cancelled'
        'o2o.refund.succeeded'
        'o2o.aftersales.approved'
        'o2o.aftersales.rejected'
        'o2o.aftersales.refunded'
      ]
    }
    // Retried for a day (WeChat or the app may be down), then kept in blob storage for an operator.
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    deadLetterWithResourceIdentity: {
      identity: { type: 'SystemAssigned' }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: storage.id
          blobContainerName: deadLetterContainerName
        }
      }
    }
  }
}
