// The view's state lives in the URL (so a bookmark lands on the same view); the API key lives in
// session storage (this tab only) and never in the URL.
import { session } from './client.js';
const KEY = 'beacon.apiKey';
const DAY = 86_400_000;

export const PRESETS = { 7: 'Last 7 days', 30: 'Last 30 days', 90: 'Last 3 months', 180: 'Last 6 months', 365: 'Last 1 year' };

export const apiKey = session(KEY);

export function readState() {
  const p = new URLSearchParams(location.search);
  const tab = p.get('tab') === 'deployments' ? 'deployments' : 'traces';
  const range = p.get('range') in PRESETS || p.get('range') === 'custom' ? p.get('range') : '30';
  const group = ['workspace', 'project', 'user', 'api_key'].includes(p.get('group')) ? p.get('group') : 'workspace';
  const tier = ['longlived', 'shortlived'].includes(p.get('tier')) ? p.get('tier') : '';
  const ws = p.get('ws') ? p.get('ws').split(',').filter(Boolean) : null; // null = every readable workspace
  return { tab, range, from: p.get('from') || '', to: p.get('to') || '', group, tier, ws };
}

export function writeState(state, { push = false } = {}) {
  const p = new URLSearchParams({ tab: state.tab, range: state.range, group: state.group });
  if (state.range === 'custom') {
    if (state.from) p.set('from', state.from);
    if (state.to) p.set('to', state.to);
  }
  if (state.tier) p.set('tier', state.tier);
  if (state.ws) p.set('ws', state.ws.join(','));
  const url = `${location.pathname}?${p}`;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

/** The query range: presets end at today's UTC midnight (the last closed day), like the staged exports. */
export function timeRange(state, now = new Date()) {
  const todayUtc = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (state.range !== 'custom') {
    const days = Number(state.range);
    return { start: iso(todayUtc - days * DAY), end: iso(todayUtc) };
  }
  const from = state.from ? Date.parse(`${state.from}T00:00:00Z`) : todayUtc - 30 * DAY;
  const to = state.to ? Date.parse(`${state.to}T00:00:00Z`) + DAY : todayUtc; // the "to" day is included
  return { start: iso(from), end: iso(Math.max(to, from + DAY)) };
}

function iso(ms) {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
