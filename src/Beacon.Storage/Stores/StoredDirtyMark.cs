using Azure;
using Beacon.Domain.Rollups;

namespace Beacon.Storage.Stores;

/// <summary>A dirty mark as read, with the version a rollup must still see to clear it.</summary>
public sealed record StoredDirtyMark(DirtyMark Mark, ETag ETag);
