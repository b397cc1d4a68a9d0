using 'main.bicep'

param environmentName = 'dev'
param maximumInstanceCount = 40
param instanceMemoryMB = 2048
