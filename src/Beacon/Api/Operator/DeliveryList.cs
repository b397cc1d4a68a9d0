namespace Beacon.Api.Operator;

/// <summary>A page of an endpoint's deliveries, newest event first; <c>next_cursor</c> is null on the last page.</summary>
internal sealed record DeliveryList(IReadOnlyList<DeliveryView> Deliveries, string? NextCursor);
