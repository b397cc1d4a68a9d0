using Microsoft.Extensions.Options;

namespace Beacon.Settings;

/// <summary>Checks <see cref="Beacon.Storage.Account.StoragePipelineOptions"/>'s ranges at start, with code generated at compile time (no reflection: beacon is compiled natively).</summary>
[OptionsValidator]
internal sealed partial class StoragePipelineOptionsValidator : IValidateOptions<Beacon.Storage.Account.StoragePipelineOptions>;
