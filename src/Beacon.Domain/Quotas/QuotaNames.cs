namespace Beacon.Domain.Quotas;

/// <summary>Wire names of quota states.</summary>
public static class QuotaNames
{
    public static string Of(QuotaState s) => s switch
    {
        QuotaState.Ok => "ok",
        QuotaState.Warning => "warning",
        QuotaState.Exceeded => "exceeded",
    };
}
