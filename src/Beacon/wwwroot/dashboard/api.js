// The public API the dashboard uses: nothing else, no private endpoints.
const BASE = '/api/v1/orgs/current';

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

async function request(path, key) {
  const response = await fetch(path, { headers: { 'X-Api-Key': key } });
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || detail;
    } catch { /* not a problem body */ }
    throw new ApiError(response.status, detail);
  }
  return response;
}

/** The meter catalog: which fields each kind's records carry, their cards and notes (public, no key). */
export async function meters() {
  const response = await fetch('/api/v1/meters');
  if (!response.ok) throw new ApiError(response.status, `${response.status} ${response.statusText}`);
  return response.json();
}

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
