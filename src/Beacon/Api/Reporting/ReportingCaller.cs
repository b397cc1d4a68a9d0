using Beacon.Domain.Credentials;
using Beacon.Storage.Stores;

namespace Beacon.Api.Reporting;

/// <summary>Who is reporting usage: the org the credential belongs to, never an org named in the body.</summary>
internal sealed record ReportingCaller(string OrgId, Reporter Reporter, ApiKeyRecord? ApiKey, LicenseRecord? License);
