// The Functions app on the Flex Consumption plan (.NET isolated worker), identity-based throughout.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
@description('Endpoints of the app\'s data account: its tables and queues.')
param dataStorage { blob: string, queue: string, table: string }
@description('Endpoints of the Functions host\'s own account: the deployment package and the host\'s leases.')
param hostStorage { blob: string, queue: string, table: string }
param deploymentContainerName string
param appInsightsConnectionString string
@description('Key Vault URIs of the app\'s secrets.')
param secretUris {
  adminApiKey: string
  sessionSigningKey: string
  storeKeyPepper: string
  weChatAppSecret: string
  weChatPushToken: string
  weChatPushAesKey: string
  weChatPayApiV3Key: string
  weChatPayMerchantPrivateKey: string
  dadaAppSecret: string
  meituanSecret: string
  sfDevKey: string
  notificationsWebhookKey: string
}
@description('WeChat Pay merchant settings that are not secrets.')
param weChatPay {
  mchId: string
  merchantSerialNo: string
  platformPublicKeyId: string
  platformPublicKeyPem: string
  platformCertificatesPem: string
}
param weChatAppId string
param unpaidTimeoutMinutes int
param acceptWithinMinutes int
param maxUnpaidOrders int
param maxUnitsPerSku int
@description('Agents and commission: levels (1 or 2), binding and settle days, rates in basis points, tier rates as "tier:bps,…".')
param agents {
  levels: int
  bindingDays: int
  settleAfterDays: int
  rateBps: int
  level2RateBps: int
  maxRateBps: int
  tierRatesBps: string
}
@description('After-sales rules: window and return days, the store\'s answer hours, the store\'s approval limit in fen.')
param afterSales {
  windowDays: int
  storeAnswerHours: int
  returnDays: int
  storeApprovalLimitFen: int
  headOfficeAnswerHours: int
}
@description('Head office\'s Entra ID sign-in: the tenant and the app registration\'s client id (empty: only the admin key).')
param headOffice { tenantId: string, clientId: string }
param riderWaitMinutes int
param deliverySilenceMinutes int
param eventGridTopicEndpoint string
@description('The WeChat subscribe message template for order updates, and the mini-program page it opens.')
param notifications {
  templateId: string
  orderPage: string
}
@description('The courier platforms\' public ids: dadaAppKey, dadaSourceId, meituanAppKey, sfDevId.')
param couriers {
  dadaAppKey: string
  dadaSourceId: string
  meituanAppKey: string
  sfDevId: string
}
param storeKeyGraceMinutes int
param maximumInstanceCount int
param instanceMemoryMB int

// Every setting the app reads; tests check the list against the code and local.settings.sample.json.
var appSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: hostStorage.blob
  // The app's tables and queues (StorageClients, and the queue triggers' Connection) are in an account of their own.
  DataStorage__credential: 'managedidentity'
  DataStorage__clientId: identityClientId
  DataStorage__queueServiceUri: dataStorage.queue
  DataStorage__tableServiceUri: dataStorage.table
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  Auth__AdminApiKey: '@Microsoft.KeyVault(SecretUri=${secretUris.adminApiKey})'
  Auth__SessionSigningKey: '@Microsoft.KeyVault(SecretUri=${secretUris.sessionSigningKey})'
  Auth__StoreKeyPepper: '@Microsoft.KeyVault(SecretUri=${secretUris.storeKeyPepper})'
  Auth__StoreKeyGraceMinutes: string(storeKeyGraceMinutes)
  WeChat__AppId: weChatAppId
  WeChat__AppSecret: '@Microsoft.KeyVault(SecretUri=${secretUris.weChatAppSecret})'
  WeChat__ApiBaseUrl: 'https://api.weixin.qq.com'
  WeChat__PushToken: '@Microsoft.KeyVault(SecretUri=${secretUris.weChatPushToken})'
  WeChat__PushAesKey: '@Microsoft.KeyVault(SecretUri=${secretUris.weChatPushAesKey})'
  OrderCenter__ReconcileAfterMinutes: '3'
  // The brand's time zone, in which stores' opening hours are read.
  Stores__TimeZone: 'Asia/Shanghai'
  Orders__UnpaidTimeoutMinutes: string(unpaidTimeoutMinutes)
  Orders__AcceptWithinMinutes: string(acceptWithinMinutes)
  Orders__MaxUnpaidOrders: string(maxUnpaidOrders)
  Orders__MaxUnitsPerSku: string(maxUnitsPerSku)
  AfterSales__WindowDays: string(afterSales.windowDays)
  AfterSales__StoreAnswerHours: string(afterSales.storeAnswerHours)
  AfterSales__ReturnDays: string(afterSales.returnDays)
  AfterSales__StoreApprovalLimitFen: string(afterSales.storeApprovalLimitFen)
  AfterSales__HeadOfficeAnswerHours: string(afterSales.headOfficeAnswerHours)
  Agents__Levels: string(agents.levels)
  Agents__BindingDays: string(agents.bindingDays)
  Agents__SettleAfterDays: string(agents.settleAfterDays)
  Agents__RateBps: string(agents.rateBps)
  Agents__Level2RateBps: string(agents.level2RateBps)
  Agents__MaxRateBps: string(agents.maxRateBps)
  Agents__TierRatesBps: agents.tierRatesBps
  WeChatPay__MchId: weChatPay.mchId
  WeChatPay__ApiV3Key: '@Microsoft.KeyVault(SecretUri=${secretUris.weChatPayApiV3Key})'
  WeChatPay__PlatformPublicKeyId: weChatPay.platformPublicKeyId
  WeChatPay__PlatformPublicKeyPem: weChatPay.platformPublicKeyPem
  WeChatPay__PlatformCertificatesPem: weChatPay.platformCertificatesPem
  WeChatPay__MerchantSerialNo: weChatPay.merchantSerialNo
  WeChatPay__MerchantPrivateKeyPem: '@Microsoft.KeyVault(SecretUri=${secretUris.weChatPayMerchantPrivateKey})'
  WeChatPay__BaseUrl: 'https://api.mch.weixin.qq.com'
  // WeChat Pay wants https and no query string.
  WeChatPay__NotifyUrl: 'https://${name}.azurewebsites.net/api/payments/wechat/notify'
  EventGrid__TopicEndpoint: eventGridTopicEndpoint
  // Empty: the topic's local auth is off, the identity below publishes.
  EventGrid__TopicKey: ''
  EventGrid__ClientId: identityClientId
  // The worker's traces and metrics; host.json's telemetryMode sends the host's the same way.
  Telemetry__Exporter: 'AzureMonitor'
  Telemetry__ClientId: identityClientId
  Notifications__WebhookKey: '@Microsoft.KeyVault(SecretUri=${secretUris.notificationsWebhookKey})'
  Notifications__TemplateId: notifications.templateId
  Notifications__OrderPage: notifications.orderPage
  HeadOffice__Authority: empty(headOffice.clientId) ? '' : '${environment().authentication.loginEndpoint}${headOffice.tenantId}/v2.0'
  HeadOffice__ClientId: headOffice.clientId
  // Flex Consumption has no App Service authentication in front (docs/head-office.md): a principal header would be forged.
  HeadOffice__PlatformPrincipal: 'false'
  Delivery__CallbackBaseUrl: 'https://${name}.azurewebsites.net/api/couriers'
  Delivery__RiderWaitMinutes: string(riderWaitMinutes)
  Delivery__SilenceMinutes: string(deliverySilenceMinutes)
  Delivery__BuyerFee: 'Tariff'
  Dada__BaseUrl: 'https://newopen.imdada.cn'
  Dada__AppKey: couriers.dadaAppKey
  Dada__AppSecret: '@Microsoft.KeyVault(SecretUri=${secretUris.dadaAppSecret})'
  Dada__SourceId: couriers.dadaSourceId
  Meituan__BaseUrl: 'https://peisong.meituan.com'
  Meituan__AppKey: couriers.meituanAppKey
  Meituan__Secret: '@Microsoft.KeyVault(SecretUri=${secretUris.meituanSecret})'
  Sf__BaseUrl: 'https://openic.sf-express.com'
  Sf__DevId: couriers.sfDevId
  Sf__DevKey: '@Microsoft.KeyVault(SecretUri=${secretUris.sfDevKey})'
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostStorage.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: appSettings
  }
}

output name string = site.name
output uri string = 'https://${site.properties.defaultHostName}'
