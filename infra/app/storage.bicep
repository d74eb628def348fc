// A storage account reachable only with Entra ID (shared-key access is off), in one of two roles:
// the app's data (its tables, its queues and Event Grid's dead letters), or the Functions host's
// own (the deployment package, and the leases and timer state the host keeps in blobs). Apart, the
// host's traffic never counts against the data account's 20,000 requests a second.
param name string
param location string
param tags object

@description('True for the app\'s data account; false for the Functions host\'s own.')
param holdsAppData bool

// The same names as StorageNames in shared/O2O.Application; a unit test keeps them in step.
var tableNames = [
  'Skus'
  'Stores'
  'Stock'
  'Orders'
  'StoreOrders'
  'Refunds'
  'Availability'
  'StoreAfterSales'
  'HeadOfficeAfterSales'
  'AfterSalesDue'
  'Agents'
  'CommissionDue'
  'WithdrawalsDue'
  'ShippingDue'
  'PromisesDue'
  'HeadOfficeAudit'
]
var queueNames = [
  'order-outbox'
  'refund-requests'
  'payment-checks'
  'courier-dispatch'
  'commission-sync'
  'shipping-uploads'
]
var deploymentContainerName = 'app-package'
// Events Event Grid could not deliver to the notifications webhook after every retry.
var deadLetterContainerName = 'event-deadletters'

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }

  resource blobs 'blobServices' = {
    name: 'default'
    // A deleted deployment package or dead-lettered event can be brought back for a week.
    properties: {
      deleteRetentionPolicy: { enabled: true, days: 7 }
      containerDeleteRetentionPolicy: { enabled: true, days: 7 }
    }

    resource deployment 'containers' = if (!holdsAppData) {
      name: deploymentContainerName
    }

    resource deadLetters 'containers' = if (holdsAppData) {
      name: deadLetterContainerName
    }
  }

  resource tableService 'tableServices' = {
    name: 'default'

    resource appTables 'tables' = [for table in (holdsAppData ? tableNames : []): {
      name: table
    }]
  }

  resource queueService 'queueServices' = {
    name: 'default'

    resource appQueues 'queues' = [for queue in (holdsAppData ? queueNames : []): {
      name: queue
    }]

    // Where the host moves a message after its fifth failed try; created up front so that
    // monitoring can watch them before the first failure.
    resource poisonQueues 'queues' = [for queue in (holdsAppData ? queueNames : []): {
      name: '${queue}-poison'
    }]
  }
}

output name string = account.name
output deploymentContainerName string = deploymentContainerName
output deadLetterContainerName string = deadLetterContainerName
output endpoints object = {
  blob: account.properties.primaryEndpoints.blob
  queue: account.properties.primaryEndpoints.queue
  table: account.properties.primaryEndpoints.table
}
