// Granular Usage dashboard: wiring between the URL state, the public API and the rendering.
import * as api from './api.js';
import { apiKey, PRESETS, readState, timeRange, writeState } from './state.js';
import { renderCards, renderCharts, renderTable } from './render.js';

const $ = (id) => document.getElementById(id);
let state = readState();
let readable = []; // [{workspace_id, workspace_name}]
let generation = 0; // drops answers to superseded requests

function show(signedIn) {
  $('sign-in').hidden = signedIn;
  $('usage').hidden = !signedIn;
  $('sign-out').hidden = !signedIn;
}

function selectedWorkspaces() {
  return state.ws ? readable.map((w) => w.workspace_id).filter((id) => state.ws.includes(id)) : readable.map((w) => w.workspace_id);
}

function query() {
  const { start, end } = timeRange(state);
  return { kind: state.tab === 'deployments' ? 'langsmith_deployments' : 'traces', start, end, group: state.group, tier: state.tier, workspaceIds: selectedWorkspaces() };
}

function syncControls() {
  for (const tab of document.querySelectorAll('[role=tab]')) {
    const active = tab.dataset.tab === state.tab;
    tab.setAttribute('aria-selected', String(active));
    tab.tabIndex = active ? 0 : -1;
  }
  $('panel').setAttribute('aria-labelledby', `tab-${state.tab}`);
  $('range').value = state.range;
  $('custom-range').hidden = state.range !== 'custom';
  $('from').value = state.from;
  $('to').value = state.to;
  $('group').value = state.group;
  $('tier').value = state.tier;
  $('tier-filter').hidden = state.tab !== 'traces';
  const selected = selectedWorkspaces();
  for (const box of $('workspace-list').querySelectorAll('input')) box.checked = selected.includes(box.value);
  $('workspace-summary').textContent = selected.length === readable.length ? `all (${readable.length})` : `${selected.length} of ${readable.length}`;
  const { start, end } = timeRange(state);
  const last = new Date(Date.parse(end) - 86_400_000).toISOString().slice(0, 10);
  $('range-label').textContent = `${PRESETS[state.range] ?? 'Custom range'}: ${start.slice(0, 10)} to ${last} (UTC, whole days)`;
}

function setStatus(kind, text) {
  const status = $('status');
  status.className = `status ${kind}`;
  status.textContent = text;
  $('panel').setAttribute('aria-busy', String(kind === 'loading'));
}

async function load() {
  syncControls();
  const mine = ++generation;
  const q = query();
  if (q.workspaceIds.length === 0) {
    setStatus('empty', 'Select at least one workspace.');
    render([]);
    return;
  }
  setStatus('loading', 'Loading usage…');
  try {
    const answer = await api.usage(apiKey.get(), q);
    if (mine !== generation) return;
    render(answer.usage);
    setStatus(answer.usage.length ? 'ready' : 'empty', answer.usage.length ? `${answer.usage.length} records, stride ${answer.stride.days} day(s)` : 'No usage in this range.');
  } catch (e) {
    if (mine !== generation) return;
    if (e.status === 401) return signOut('Your API key is no longer accepted. Sign in again.');
    render([]);
    setStatus('error', `Could not load usage: ${e.message}`);
  }
}

function render(usage) {
  renderCards($('cards'), state.tab, usage);
  renderCharts($('charts'), state.tab, usage);
  renderTable($('table'), state.tab, state.group, usage);
}

function update(change, { push = false } = {}) {
  state = { ...state, ...change };
  writeState(state, { push });
  load();
}

async function signIn(key) {
  const list = await api.workspaces(key); // proves the key before anything is shown
  apiKey.set(key);
  readable = list;
  $('workspace-list').replaceChildren(...readable.map((w) => {
    const label = document.createElement('label');
    const box = Object.assign(document.createElement('input'), { type: 'checkbox', value: w.workspace_id, name: 'workspace' });
    label.append(box, ` ${w.workspace_name ?? w.workspace_id}`);
    return label;
  }));
  show(true);
  writeState(state);
  await load();
}

function signOut(message) {
  apiKey.clear();
  generation++;
  readable = [];
  render([]);
  show(false);
  $('api-key').value = '';
  $('sign-in-error').hidden = !message;
  $('sign-in-error').textContent = message ?? '';
  $('api-key').focus();
}

async function exportCsv() {
  const button = $('export');
  button.disabled = true;
  try {
    const { blob, name } = await api.exportCsv(apiKey.get(), query());
    const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  } catch (e) {
    setStatus('error', `Export failed: ${e.message}`);
  } finally {
    button.disabled = false;
  }
}

function wire() {
  $('sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('sign-in-error').hidden = true;
    try {
      await signIn($('api-key').value.trim());
    } catch (e) {
      apiKey.clear();
      show(false);
      $('sign-in-error').textContent = e.status === 401 || e.status === 403
        ? 'That API key was not accepted. Check it and try again.'
        : `Could not sign in: ${e.message}`;
      $('sign-in-error').hidden = false;
    }
  });
  $('sign-out').addEventListener('click', () => signOut());
  const tabs = [...document.querySelectorAll('[role=tab]')];
  for (const tab of tabs) {
    tab.addEventListener('click', () => update({ tab: tab.dataset.tab }, { push: true }));
    tab.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
      const next = tabs[(tabs.indexOf(tab) + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      next.focus();
      next.click();
    });
  }
  $('range').addEventListener('change', () => update({ range: $('range').value }));
  $('from').addEventListener('change', () => update({ from: $('from').value }));
  $('to').addEventListener('change', () => update({ to: $('to').value }));
  $('group').addEventListener('change', () => update({ group: $('group').value }));
  $('tier').addEventListener('change', () => update({ tier: $('tier').value }));
  $('workspace-list').addEventListener('change', () => {
    const chosen = [...$('workspace-list').querySelectorAll('input:checked')].map((b) => b.value);
    update({ ws: chosen.length === readable.length ? null : chosen });
  });
  $('export').addEventListener('click', exportCsv);
  window.addEventListener('popstate', () => {
    state = readState();
    load();
  });
}

wire();
const saved = apiKey.get();
if (saved) signIn(saved).catch(() => signOut('Your API key is no longer accepted. Sign in again.'));
else show(false);
