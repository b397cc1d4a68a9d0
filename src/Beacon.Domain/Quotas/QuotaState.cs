namespace Beacon.Domain.Quotas;

/// <summary>ok below 80 % of the limit, warning from 80 %, exceeded from 100 %.</summary>
public enum QuotaState
{
    Ok,
    Warning,
    Exceeded,
}
