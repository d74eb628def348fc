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

// The app's metrics that page (OrderMetrics names them; a unit test holds the two lists together).
// Each query sums or maxes a metric over the window; the rule fires above the threshold.
var metricAlerts = [
  {
    name: 'refunds-stuck'
    displayName: 'Refunds stuck'
    description: 'A refund is still not final an hour after it was decided. GET /api/admin/consistency lists it (refund_stuck); look it up in WeChat Pay under its out_refund_no.'
    severity: 2
    query: 'customMetrics | where name == "o2o.refunds.stuck" | summarize value = sum(valueSum)'
    threshold: 0
  }
  {
    name: 'withdrawals-stuck'
    displayName: 'Agent withdrawals stuck'
    description: 'A withdrawal is not final a day after the agent asked for it. Look it up in WeChat Pay under its out_bill_no (the withdrawal id).'
    severity: 3
    query: 'customMetrics | where name == "o2o.withdrawals.stuck" | summarize value = sum(valueSum)'
    threshold: 0
  }
  {
    name: 'courier-bookings-failing'
    displayName: 'Courier bookings failing'
    description: 'A courier platform failed more than 10 bookings in 15 minutes (o2o.courier in the dimensions names it). Orders fall back to the next platform; check its status page and our credentials.'
    severity: 2
    query: 'customMetrics | where name == "o2o.courier.bookings.failed" | summarize value = sum(valueSum) by courier = tostring(customDimensions["o2o.courier"])'
    threshold: 10
  }
  {
    name: 'outbox-lagging'
    displayName: 'Order events late'
    description: 'An order event reached Event Grid more than five minutes after its change. Look at the RelayOrderEvents function and the order-outbox queue (and its poison queue).'
    severity: 2
    query: 'customMetrics | where name == "o2o.outbox.age" | summarize value = max(valueMax)'
    threshold: 300
  }
]

resource metricAlert 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = [
  for alert in metricAlerts: {
    name: 'alert-${alert.name}-${appInsightsName}'
    location: location
    tags: tags
    properties: {
      displayName: alert.displayName
      description: alert.description
      severity: alert.severity
      enabled: true
      scopes: [appInsights.id]
      evaluationFrequency: 'PT5M'
      windowSize: 'PT15M'
      criteria: {
        allOf: [
          {
            query: alert.query
            timeAggregation: 'Maximum'
            metricMeasureColumn: 'value'
            operator: 'GreaterThan'
            threshold: alert.threshold
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
]

output appInsightsName string = appInsights.name
output workspaceId string = logs.id
output connectionString string = appInsights.properties.ConnectionString
