using Microsoft.Extensions.Options;

namespace Beacon.Settings;

/// <summary>Checks <see cref="Beacon.Storage.Rollups.RollupOptions"/>'s ranges at start, with code generated at compile time (no reflection: beacon is compiled natively).</summary>
[OptionsValidator]
internal sealed partial class RollupOptionsValidator : IValidateOptions<Beacon.Storage.Rollups.RollupOptions>;
