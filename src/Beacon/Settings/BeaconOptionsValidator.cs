using Microsoft.Extensions.Options;

namespace Beacon.Settings;

/// <summary>Checks <see cref="Beacon.Settings.BeaconOptions"/>'s ranges at start, with code generated at compile time (no reflection: beacon is compiled natively).</summary>
[OptionsValidator]
internal sealed partial class BeaconOptionsValidator : IValidateOptions<Beacon.Settings.BeaconOptions>;
