// Beacon on Azure Functions Flex Consumption (.NET isolated worker), with a storage account reached only
// through the app's managed identity. Deploy: see README, "Deploying".
targetScope = 'resourceGroup'

@description('Short name used in resource names, e.g. beacon.')
@minLength(3)
@maxLength(11)
param appName string = 'beacon'

@description('Environment: dev or prod. Drives redundancy and scale.')
@allowed(['dev', 'prod'])
param environmentName string

param location string = resourceGroup().location

@description('Most instances the app may scale out to (Flex Consumption: 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory per instance, MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Issuer (iss) of license tokens.')
param tokenIssuer string = 'beacon'

@description('Audience (aud) of license tokens.')
param tokenAudience string = 'langgraph-platform'

@description('Lifetime of a license token (TimeSpan, e.g. 01:00:00).')
param tokenLifetime string = '01:00:00'

@description('How long credential lookups are cached; a revoked key stops working within this (at most 00:01:00).')
param credentialCacheTtl string = '00:00:30'

@description('Token bucket per credential: burst.')
param rateLimitBurst int = 200

@description('Token bucket per credential: requests per second.')
param rateLimitPerSecond int = 50

@description('How long a request may spend on storage before it is answered 503 (well inside the rollup grace).')
param storageDeadline string = '00:00:30'

@description('Failed authentications per client address: burst before 429.')
@minValue(1)
param failedAuthBurst int = 30

@description('Failed authentications per client address: sustained per minute.')
@minValue(1)
param failedAuthPerMinute int = 30

@description('NCRONTAB schedule (6 fields, UTC) of the Rollup timer.')
param rollupSchedule string = '0 */15 * * * *'

@description('Deployments the fleet recorder tracks at once per instance, in all.')
@minValue(1)
param fleetMaxDeployments int = 50000

@description('The most deployments one org may have tracked at once by the fleet recorder.')
@minValue(1)
param fleetMaxDeploymentsPerOrg int = 2000

@description('Deployments every org may track even when the fleet recorder is full.')
@minValue(1)
param fleetSharePerOrg int = 100

var suffix = uniqueString(resourceGroup().id, appName, environmentName)

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: '${appName}-${environmentName}-${suffix}'
    location: location
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: take(toLower('${appName}${environmentName}${suffix}'), 24)
    location: location
    redundancy: environmentName == 'prod' ? 'Standard_ZRS' : 'Standard_LRS'
  }
}

module app 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: '${appName}-${environmentName}-${suffix}'
    location: location
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appInsightsConnectionString: monitoring.outputs.connectionString
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    beaconSettings: {
      Beacon__TokenIssuer: tokenIssuer
      Beacon__TokenAudience: tokenAudience
      Beacon__TokenLifetime: tokenLifetime
      Beacon__CredentialCacheTtl: credentialCacheTtl
      Beacon__RateLimitBurst: string(rateLimitBurst)
      Beacon__RateLimitPerSecond: string(rateLimitPerSecond)
      Beacon__StorageDeadline: storageDeadline
      Beacon__FailedAuthBurst: string(failedAuthBurst)
      Beacon__FailedAuthPerMinute: string(failedAuthPerMinute)
      Beacon__RollupSchedule: rollupSchedule
      Beacon__FleetMaxDeployments: string(fleetMaxDeployments)
      Beacon__FleetMaxDeploymentsPerOrg: string(fleetMaxDeploymentsPerOrg)
      Beacon__FleetSharePerOrg: string(fleetSharePerOrg)
      // Webhooks go to https only, never to private or loopback addresses (SPEC §18); true is for development.
      Beacon__AllowInsecureWebhooks: 'false'
    }
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: app.outputs.principalId
    storageAccountName: storage.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

output functionAppName string = app.outputs.name
output functionAppUrl string = 'https://${app.outputs.defaultHostName}'
output storageAccountName string = storage.outputs.name
