namespace Beacon.Domain.Usage;

/// <summary>
/// "The license sticks" (SPEC §13): the real client sends a licensed deployment's window twice, the
/// license copy and the API-key copy, under one window key. Whichever arrives last is stored, but the
/// window stays billed to the license, so its statement line and its deployment do not flip.
/// </summary>
public static class BilledLicense
{
    /// <param name="incomingLicenseId">The license of the report that replaces the window (empty: an API key reported it).</param>
    /// <param name="storedLicenseId">The license the stored window is billed to (empty: none).</param>
    public static string OnSupersede(string incomingLicenseId, string storedLicenseId) =>
        incomingLicenseId.Length > 0 ? incomingLicenseId : storedLicenseId;
}
