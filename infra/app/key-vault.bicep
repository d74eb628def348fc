// Secrets the app reads through Key Vault references, with RBAC rather than access policies.
param name string
param location string
param tags object

@secure()
param adminApiKey string

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
}

output name string = vault.name
output adminApiKeySecretUri string = vault::adminKey.properties.secretUri
