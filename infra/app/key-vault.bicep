// Secrets the app reads through Key Vault references, with RBAC rather than access policies.
param name string
param location string
param tags object

@description('The Log Analytics workspace that keeps the vault\'s audit log (who read which secret).')
param logAnalyticsWorkspaceId string

@secure()
param adminApiKey string

@secure()
param sessionSigningKey string

@secure()
param storeKeyPepper string

@secure()
param weChatAppSecret string

@secure()
param weChatPushToken string

@secure()
param weChatPushAesKey string

@secure()
param weChatPayApiV3Key string

@secure()
param weChatPayMerchantPrivateKeyPem string

@secure()
param dadaAppSecret string

@secure()
param meituanSecret string

@secure()
param sfDevKey string

@secure()
param notificationsWebhookKey string

resource vault 'Microsoft.KeyVault/vaults@2026-02-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    enablePurgeProtection: true
  }

  resource adminKey 'secrets' = {
    name: 'admin-api-key'
    properties: { value: adminApiKey }
  }

  resource signingKey 'secrets' = {
    name: 'session-signing-key'
    properties: { value: sessionSigningKey }
  }

  resource pepper 'secrets' = {
    name: 'store-key-pepper'
    properties: { value: storeKeyPepper }
  }

  resource appSecret 'secrets' = {
    name: 'wechat-app-secret'
    properties: { value: weChatAppSecret }
  }

  resource pushToken 'secrets' = {
    name: 'wechat-push-token'
    properties: { value: weChatPushToken }
  }

  resource pushAesKey 'secrets' = {
    name: 'wechat-push-aes-key'
    properties: { value: weChatPushAesKey }
  }

  resource payApiV3Key 'secrets' = {
    name: 'wechatpay-apiv3-key'
    properties: { value: weChatPayApiV3Key }
  }

  resource payMerchantKey 'secrets' = {
    name: 'wechatpay-merchant-private-key'
    properties: { value: weChatPayMerchantPrivateKeyPem }
  }

  resource dadaSecret 'secrets' = {
    name: 'dada-app-secret'
    properties: { value: dadaAppSecret }
  }

  resource meituanKey 'secrets' = {
    name: 'meituan-secret'
    properties: { value: meituanSecret }
  }

  resource sfKey 'secrets' = {
    name: 'sf-dev-key'
    properties: { value: sfDevKey }
  }

  resource webhookKey 'secrets' = {
    name: 'notifications-webhook-key'
    properties: { value: notificationsWebhookKey }
  }
}

// Every secret read and every change, kept with the app's logs.
resource audit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'audit'
  scope: vault
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [{ categoryGroup: 'audit', enabled: true }]
  }
}

output name string = vault.name
// Versionless URIs, so a rotated secret reaches the app without a redeployment.
output secretUris object = {
  adminApiKey: vault::adminKey.properties.secretUri
  sessionSigningKey: vault::signingKey.properties.secretUri
  storeKeyPepper: vault::pepper.properties.secretUri
  weChatAppSecret: vault::appSecret.properties.secretUri
  weChatPushToken: vault::pushToken.properties.secretUri
  weChatPushAesKey: vault::pushAesKey.properties.secretUri
  weChatPayApiV3Key: vault::payApiV3Key.properties.secretUri
  weChatPayMerchantPrivateKey: vault::payMerchantKey.properties.secretUri
  dadaAppSecret: vault::dadaSecret.properties.secretUri
  meituanSecret: vault::meituanKey.properties.secretUri
  sfDevKey: vault::sfKey.properties.secretUri
  notificationsWebhookKey: vault::webhookKey.properties.secretUri
}
