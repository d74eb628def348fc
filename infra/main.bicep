// The O2O backend on Azure: a Flex Consumption function app that reaches its storage, Key Vault
// and Application Insights with one user-assigned managed identity; no shared keys anywhere.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it seeds every resource name.')
param environmentName string

@minLength(1)
@description('Azure region for every resource.')
param location string

@secure()
@minLength(16)
@description('The operator API key. Stored in Key Vault; the app reads it through a Key Vault reference.')
param adminApiKey string

@secure()
@minLength(32)
@description('The HMAC key that signs consumers\' session tokens. Rotating it signs everyone out.')
param sessionSigningKey string

@secure()
@minLength(16)
@description('A secret mixed into every store key\'s hash.')
param storeKeyPepper string

@description('How long a store\'s previous key keeps working after a rotation.')
@minValue(0)
@maxValue(10080)
param storeKeyGraceMinutes int = 60

@description('The WeChat mini-program\'s appid.')
param weChatAppId string

@secure()
@description('The WeChat mini-program\'s AppSecret.')
param weChatAppSecret string

@secure()
@description('The Token of the mini-program\'s message push (消息推送), as set in the WeChat console.')
param weChatPushToken string

@secure()
@description('The EncodingAESKey of the mini-program\'s message push, in safe mode (43 characters).')
param weChatPushAesKey string

@description('How long a new order waits for payment before it is cancelled.')
@minValue(5)
@maxValue(120)
param unpaidTimeoutMinutes int = 15

@description('The Microsoft Entra ID app registration head office signs in to (its client id; docs/head-office.md). Empty: only the admin key.')
param headOfficeClientId string = ''

@description('The Entra ID tenant of head office\'s people; the deployment\'s own by default.')
param headOfficeTenantId string = tenant().tenantId

@description('The operator on call, told when a poison queue fills.')
param operatorEmail string

@description('How long a courier booking may wait for a rider before the next platform is asked.')
@minValue(1)
@maxValue(60)
param riderWaitMinutes int = 10

@description('How long a delivery may go without news from its courier platform before the platform is asked.')
@minValue(5)
@maxValue(240)
param deliverySilenceMinutes int = 20

@description('Dada app_key and source_id, Meituan delivery appkey, SF same-city dev_id.')
param dadaAppKey string
param dadaSourceId string
param meituanAppKey string
param sfDevId string

@secure()
@description('Dada app_secret.')
param dadaAppSecret string

@secure()
@description('Meituan delivery secret.')
param meituanSecret string

@secure()
@description('SF same-city dev key.')
param sfDevKey string

@secure()
@description('The key Event Grid\'s subscription sends to the notifications webhook (?key=).')
param notificationsWebhookKey string

@description('The WeChat subscribe message template for order updates (keywords character_string1, phrase2, thing3).')
param notificationTemplateId string

@description('The mini-program page a notification opens.')
param notificationOrderPage string = 'pages/order/detail'

@description('How long a paid order waits for its store to accept it before it is routed to the next store.')
@minValue(1)
@maxValue(240)
param acceptWithinMinutes int = 10

@description('How many unpaid orders one consumer may hold open at once (each holds stock until paid or timed out).')
@minValue(1)
@maxValue(50)
param maxUnpaidOrders int = 5

@description('How many units of one SKU one order may take.')
@minValue(1)
@maxValue(99)
param maxUnitsPerSku int = 20

@description('Commission levels: 1 (the sharing agent) or 2 (their parent too); never more.')
@allowed([1, 2])
param agentLevels int = 1

@description('Days a consumer stays bound to the first agent whose share they came through; 0 binds for good.')
@minValue(0)
@maxValue(3650)
param agentBindingDays int = 30

@description('Days after pickup or delivery before commission can be withdrawn; at least the after-sales window.')
@minValue(1)
param agentSettleAfterDays int = 7

@description('Commission rates in basis points: level 1, level 2, their cap; tier rates as "tier:bps,…".')
param agentRates object = {
  rateBps: 500
  level2RateBps: 100
  maxRateBps: 1500
  tierRatesBps: ''
}

@description('Days after pickup or delivery during which a buyer may open an after-sales case.')
@minValue(1)
@maxValue(90)
param afterSalesWindowDays int = 7

@description('Hours a store has to answer an after-sales case; its silence approves it.')
@minValue(1)
@maxValue(336)
param afterSalesStoreAnswerHours int = 48

@description('Days a buyer has to bring the goods of an approved return back.')
@minValue(1)
@maxValue(30)
param afterSalesReturnDays int = 7

@description('The most (fen) a store may approve in refunds of one order, all its cases together; above it head office decides.')
@minValue(0)
param afterSalesStoreApprovalLimitFen int = 50000

@description('Hours head office has to answer a case escalated to it; its silence rejects the case with a reason the buyer sees.')
@minValue(1)
@maxValue(720)
param afterSalesHeadOfficeAnswerHours int = 72

@description('The WeChat Pay merchant id (mchid).')
param weChatPayMchId string

@secure()
@description('The WeChat Pay APIv3 key (32 characters).')
param weChatPayApiV3Key string

@secure()
@description('The merchant\'s API private key (PEM).')
param weChatPayMerchantPrivateKeyPem string

@description('The serial number of the merchant\'s API certificate.')
param weChatPayMerchantSerialNo string

@description('The WeChat Pay public key id (PUB_KEY_ID_...) and PEM; empty if the merchant still uses platform certificates.')
param weChatPayPlatformPublicKeyId string = ''
param weChatPayPlatformPublicKeyPem string = ''

@description('WeChat Pay platform certificates (PEM), for merchants on certificates or migrating to the public key.')
param weChatPayPlatformCertificatesPem string = ''

@minValue(40)
@maxValue(1000)
@description('Upper bound on instances, so a flash sale cannot scale into a surprise bill.')
param maximumInstanceCount int = 100

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var names = {
  identity: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
  // The app's data keeps the first account's name, so an existing deployment keeps its tables.
  storage: '${abbrs.storageStorageAccounts}${resourceToken}'
  hostStorage: '${abbrs.storageStorageAccounts}host${resourceToken}'
  logAnalytics: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
  appInsights: '${abbrs.insightsComponents}${resourceToken}'
  keyVault: '${abbrs.keyVaultVaults}${resourceToken}'
  eventGridTopic: '${abbrs.eventGridDomainsTopics}${resourceToken}'
  functionApp: '${abbrs.webSitesFunctions}api-${resourceToken}'
  plan: '${abbrs.webServerFarms}${resourceToken}'
}

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    holdsAppData: true
  }
}

module hostStorage 'app/storage.bicep' = {
  scope: rg
  params: {
    name: names.hostStorage
    location: location
    tags: tags
    holdsAppData: false
  }
}

module monitoring 'app/monitoring.bicep' = {
  scope: rg
  params: {
    operatorEmail: operatorEmail
    logAnalyticsName: names.logAnalytics
    appInsightsName: names.appInsights
    location: location
    tags: tags
  }
}

// Every value of local.settings.sample.json is public: a secret equal to one of them, or a
// placeholder with "change-me", stops the deployment before any secret is stored (the app would
// refuse to start with it as well; it also checks its own secrets' entropy).
var sampleValues = map(items(loadJsonContent('../local.settings.sample.json').Values), setting => setting.value)
var secretsToCheck = {
  adminApiKey: adminApiKey
  sessionSigningKey: sessionSigningKey
  storeKeyPepper: storeKeyPepper
  notificationsWebhookKey: notificationsWebhookKey
  weChatAppSecret: weChatAppSecret
  weChatPushToken: weChatPushToken
  weChatPushAesKey: weChatPushAesKey
  dadaAppSecret: dadaAppSecret
  meituanSecret: meituanSecret
  sfDevKey: sfDevKey
}
var refusedSecrets = map(filter(items(secretsToCheck), secret => contains(sampleValues, secret.value) || contains(toLower(secret.value), 'change-me')), secret => secret.key)

module keyVault 'app/key-vault.bicep' = {
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    adminApiKey: empty(refusedSecrets) ? adminApiKey : fail('These parameters are published samples or placeholders: ${join(refusedSecrets, ', ')}. Generate secrets of your own (docs/deploying.md).')
    sessionSigningKey: sessionSigningKey
    storeKeyPepper: storeKeyPepper
    weChatAppSecret: weChatAppSecret
    weChatPushToken: weChatPushToken
    weChatPushAesKey: weChatPushAesKey
    weChatPayApiV3Key: weChatPayApiV3Key
    weChatPayMerchantPrivateKeyPem: weChatPayMerchantPrivateKeyPem
    dadaAppSecret: dadaAppSecret
    meituanSecret: meituanSecret
    sfDevKey: sfDevKey
    notificationsWebhookKey: notificationsWebhookKey
  }
}

module eventGrid 'app/event-grid.bicep' = {
  scope: rg
  params: {
    name: names.eventGridTopic
    location: location
    tags: tags
  }
}

module roles 'app/role-assignments.bicep' = {
  scope: rg
  params: {
    identityName: names.identity
    storageAccountName: names.storage
    hostStorageAccountName: names.hostStorage
    appInsightsName: names.appInsights
    keyVaultName: names.keyVault
    eventGridTopicName: names.eventGridTopic
    eventGridTopicPrincipalId: eventGrid.outputs.principalId
  }
  // Names, not outputs, go in (so What-If can predict the assignments); so the order is explicit.
  dependsOn: [identity, storage, hostStorage, monitoring, keyVault]
}

module api 'app/function-app.bicep' = {
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    dataStorage: storage.outputs.endpoints
    hostStorage: hostStorage.outputs.endpoints
    deploymentContainerName: hostStorage.outputs.deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.connectionString
    secretUris: keyVault.outputs.secretUris
    eventGridTopicEndpoint: eventGrid.outputs.endpoint
    notifications: {
      templateId: notificationTemplateId
      orderPage: notificationOrderPage
    }
    weChatAppId: weChatAppId
    unpaidTimeoutMinutes: unpaidTimeoutMinutes
    acceptWithinMinutes: acceptWithinMinutes
    maxUnpaidOrders: maxUnpaidOrders
    maxUnitsPerSku: maxUnitsPerSku
    agents: {
      levels: agentLevels
      bindingDays: agentBindingDays
      settleAfterDays: agentSettleAfterDays
      rateBps: agentRates.rateBps
      level2RateBps: agentRates.level2RateBps
      maxRateBps: agentRates.maxRateBps
      tierRatesBps: agentRates.tierRatesBps
    }
    afterSales: {
      windowDays: afterSalesWindowDays
      storeAnswerHours: afterSalesStoreAnswerHours
      returnDays: afterSalesReturnDays
      storeApprovalLimitFen: afterSalesStoreApprovalLimitFen
      headOfficeAnswerHours: afterSalesHeadOfficeAnswerHours
    }
    headOffice: {
      tenantId: headOfficeTenantId
      clientId: headOfficeClientId
    }
    riderWaitMinutes: riderWaitMinutes
    deliverySilenceMinutes: deliverySilenceMinutes
    couriers: {
      dadaAppKey: dadaAppKey
      dadaSourceId: dadaSourceId
      meituanAppKey: meituanAppKey
      sfDevId: sfDevId
    }
    storeKeyGraceMinutes: storeKeyGraceMinutes
    weChatPay: {
      mchId: weChatPayMchId
      merchantSerialNo: weChatPayMerchantSerialNo
      platformPublicKeyId: weChatPayPlatformPublicKeyId
      platformPublicKeyPem: weChatPayPlatformPublicKeyPem
      platformCertificatesPem: weChatPayPlatformCertificatesPem
    }
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
  // The app's first start needs its identity's rights already in place.
  dependsOn: [roles]
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output AZURE_FUNCTION_URI string = api.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_EVENT_GRID_TOPIC_NAME string = eventGrid.outputs.name
output AZURE_STORAGE_DEAD_LETTER_CONTAINER string = storage.outputs.deadLetterContainerName
