// The public API the dashboard uses: nothing else, no private endpoints.
import { call, meterCatalog } from './client.js';

const BASE = '/api/v1/orgs/current';

export { ApiError } from './client.js';

const request = (path, key) => call(path, { header: 'X-Api-Key', secret: key });

/** The meter catalog: which fields each kind's records carry, their cards and notes (public, no key). */
export const meters = () => meterCatalog();

export async function workspaces(key) {
  return (await (await request(`${BASE}/workspaces`, key)).json()).workspaces;
}

export function usageQuery({ kind, start, end, group, tier, workspaceIds }) {
  const params = new URLSearchParams({ kind, start_time: start, end_time: end, group_by: group });
  if (kind === 'traces' && tier) params.set('trace_tier', tier);
  for (const id of workspaceIds) params.append('workspace_ids', id);
  return params;
}

export async function usage(key, query) {
  return (await request(`${BASE}/billing/granular-usage?${usageQuery(query)}`, key)).json();
}

export async function exportCsv(key, query) {
  const response = await request(`${BASE}/billing/granular-usage/export?${usageQuery(query)}`, key);
  const disposition = response.headers.get('Content-Disposition') || '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] || 'usage.csv';
  return { blob: await response.blob(), name };
}
