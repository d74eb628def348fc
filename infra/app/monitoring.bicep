// Logs and traces. Local (key-based) ingestion is off; the app authenticates with its identity.
param logAnalyticsName string
param appInsightsName string
param location string
param tags object

@description('Who is told when a poison queue fills (the operator on call).')
param operatorEmail string

resource logs 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

resource operators 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${appInsightsName}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'o2o-ops'
    enabled: true
    emailReceivers: [
      {
        name: 'operator'
        emailAddress: operatorEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

// The app's WatchPoisonQueues timer logs "Poison queue … holds … messages" every five minutes
// while any poison queue is non-empty: messages the host gave up on after five tries.
resource poisonAlert 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: 'alert-poison-${appInsightsName}'
  location: location
  tags: tags
  properties: {
    displayName: 'Messages in a poison queue'
    description: 'A queue message failed five times and was set aside; see the queue named in the trace, fix the cause, then move the messages back.'
    severity: 2
    enabled: true
    scopes: [appInsights.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT10M'
    criteria: {
      allOf: [
        {
          query: 'traces | where message startswith "Poison queue"'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [operators.id]
    }
  }
}

output appInsightsName string = appInsights.name
output workspaceId string = logs.id
output connectionString string = appInsights.properties.ConnectionString
