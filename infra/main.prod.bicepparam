using 'main.bicep'

param environmentName = 'prod'
param maximumInstanceCount = 200
param instanceMemoryMB = 2048
param credentialCacheTtl = '00:00:30'
