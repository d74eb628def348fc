// Secrets the app reads through Key Vault references, with RBAC rather than access policies.
param name string
param location string
param tags object

@secure()
param adminApiKey string

@secure()
param sessionSigningKey string

@secure()
param weChatAppSecret string

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

  resource appSecret 'secrets' = {
    name: 'wechat-app-secret'
    properties: { value: weChatAppSecret }
  }
}

output name string = vault.name
// Versionless URIs, so a rotated secret reaches the app without a redeployment.
output secretUris object = {
  adminApiKey: vault::adminKey.properties.secretUri
  sessionSigningKey: vault::signingKey.properties.secretUri
  weChatAppSecret: vault::appSecret.properties.secretUri
}
