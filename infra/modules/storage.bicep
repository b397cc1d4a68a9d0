// The storage account: Table Storage for every record, Blob Storage for keys, locks, staged exports,
// diagnostics and the deployment package. Shared keys are disabled: only Entra ID (managed identity).
param name string
param location string

@allowed(['Standard_LRS', 'Standard_ZRS'])
param redundancy string

// Must match src/Beacon.Storage/Stores/Tables.cs (tests/Beacon.Tests/FunctionApp/InfraTests.cs checks).
var tables = [
  'Directory'
  'Credentials'
  'UsageWindows'
  'WindowSpans'
  'TraceIds'
  'TraceTransactions'
  'DirtyDays'
  'Rollups'
  'Verifications'
  'IgnoredReports'
  'UsageSnapshots'
  'TelemetryLatest'
  'TelemetrySeries'
  'TelemetryRecords'
  'TelemetryCounts'
  'Deployments'
  'FleetIndex'
  'Audit'
  'Statements'
  'ReportedUsage'
  'UsageReports'
  'Webhooks'
]
var containers = [
  'beacon-keys'
  'beacon-locks'
  'beacon-exports'
  'beacon-diagnostics'
  'beacon-reports'
]
var deploymentContainer = 'app-package'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  kind: 'StorageV2'
  sku: {
    name: redundancy
  }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource tableResources 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for table in tables: {
  parent: tableService
  name: table
}]

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource containerResources 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for container in concat(containers, [deploymentContainer]): {
  parent: blobService
  name: container
  properties: {
    publicAccess: 'None'
  }
}]

output name string = account.name
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainer}'
