// Granular Usage dashboard: wiring between the URL state, the public API and the rendering.
import * as api from './api.js';
import { apiKey, PRESETS, readState, timeRange, writeState } from './state.js';
import { bucketsOf, NOTES, renderCards, renderCharts, renderTable, setCatalog, strideWords } from './render.js';

const $ = (id) => document.getElementById(id);
let state = readState();
let readable = []; // [{workspace_id, workspace_name}]
let generation = 0; // drops answers to superseded requests
let shown = { usage: [], buckets: [], page: 0 }; // what the table pages through
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Why the custom range cannot be asked for (nothing is requested then), or null. */
function rangeProblem() {
  if (state.range !== 'custom') return null;
  for (const [name, value] of [['start', state.from], ['end', state.to]]) {
    if (!value) continue;
    // Date.parse rolls impossible days over (2026-02-30 → March 2): a day is real only if it reads back the same.
    const at = ISO_DAY.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
    if (Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== value) return `The ${name} date ${value} is not a day of the calendar: write it YYYY-MM-DD, like 2026-11-01.`;
  }
  const today = new Date().toISOString().slice(0, 10);
  if (state.from && state.from > today) return `The start date ${state.from} is in the future (today is ${today} UTC): there is no usage to show yet.`;
  if (state.from && state.to && state.from > state.to) return `The start date ${state.from} is after the end date ${state.to}: pick a start on or before the end.`;
  return null;
}

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
  if (rangeProblem()) {
    // No made-up range next to the error: the label says what was typed and that it is not a range yet.
    $('range-label').textContent = `Custom range: ${state.from || '…'} to ${state.to || '…'} (not a valid range)`;
    return;
  }
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
  const problem = rangeProblem();
  if (problem) {
    setStatus('error', problem);
    render([], []);
    return;
  }
  const q = query();
  if (q.workspaceIds.length === 0) {
    setStatus('empty', 'Select at least one workspace.');
    render([], []);
    return;
  }
  setStatus('loading', 'Loading usage…');
  try {
    const answer = await api.usage(apiKey.get(), q);
    const billed = await billedNotes(q, answer.usage);
    if (mine !== generation) return;
    const buckets = bucketsOf(q.start, q.end, answer.stride.days);
    render(answer.usage, buckets, billed);
    const last = buckets[buckets.length - 1];
    const words = `${buckets.length} ${strideWords(answer.stride.days)} bucket${buckets.length === 1 ? '' : 's'}`
      + (last?.partial ? `; the last covers ${last.days} of ${answer.stride.days} days` : '');
    setStatus(answer.usage.length ? 'ready' : 'empty', answer.usage.length
      ? `${answer.usage.length} records in ${words}.`
      : `No usage in this range (${words}).`);
  } catch (e) {
    if (mine !== generation) return;
    if (e.status === 401) return signOut('Your API key is no longer accepted. Sign in again.');
    render([], []);
    setStatus('error', `Could not load usage: ${e.message}`);
  }
}

/**
 * The billed total of each note field (standby minutes). A user or API-key grouping counts each group's own
 * windows, so its records can add up to more than the deployments bill: the card then asks for the same
 * range grouped by workspace, where every deployment's minutes count once.
 */
async function billedNotes(q, usage) {
  const notes = NOTES[state.tab];
  if (notes.length === 0) return {};
  const records = q.group === 'user' || q.group === 'api_key' ? (await api.usage(apiKey.get(), { ...q, group: 'workspace' })).usage : usage;
  return Object.fromEntries(notes.map((n) => [n.field, records.reduce((sum, r) => sum + (r[n.field] ?? 0), 0)]));
}

function render(usage, buckets, billed = {}) {
  shown = { usage, buckets, page: 0 };
  renderCards($('cards'), state.tab, usage, billed);
  renderCharts($('charts'), state.tab, usage, buckets);
  renderPage(0);
}

function renderPage(page) {
  shown.page = renderTable($('table'), $('pager'), state.tab, state.group, shown.usage, shown.buckets, page);
}

function update(change, { push = false } = {}) {
  state = { ...state, ...change };
  writeState(state, { push });
  load();
}

async function signIn(key) {
  const list = await api.workspaces(key); // proves the key before anything is shown
  setCatalog(await api.meters());
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
  render([], []);
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
    const key = $('api-key').value.trim();
    // Other Beacon keys are recognisable by their prefix: say where they belong, and send nothing.
    const elsewhere = key.startsWith('bcn_op_') ? 'That is an operator key: it signs in to the vendor console at /console/, not to this dashboard.'
      : key.startsWith('lcl_') ? 'That is a license key, which self-hosted deployments use. This dashboard takes an API key (it starts with bcn_ak_).'
        : null;
    if (elsewhere) {
      $('sign-in-error').textContent = elsewhere;
      $('sign-in-error').hidden = false;
      return;
    }
    try {
      await signIn(key);
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
  $('export').addEventListener('click', () => {
    const problem = rangeProblem();
    if (problem) setStatus('error', problem);
    else exportCsv();
  });
  $('page-prev').addEventListener('click', () => renderPage(shown.page - 1));
  $('page-next').addEventListener('click', () => renderPage(shown.page + 1));
  window.addEventListener('popstate', () => {
    state = readState();
    load();
  });
}

wire();
const saved = apiKey.get();
if (saved) signIn(saved).catch(() => signOut('Your API key is no longer accepted. Sign in again.'));
else show(false);
