// Azurite reads this module only to report telemetry, which Beacon always turns off (--disableTelemetry).
// If something ever does call it, Azurite's telemetry setup catches the error and logs "Fail to init telemetry".
module.exports = {};
