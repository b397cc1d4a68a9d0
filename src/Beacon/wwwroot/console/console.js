// The vendor console (SPEC §12). Talks only to /api/v1/operator/ with the operator key kept in this
// tab's session storage. Everything from the API is inserted as text, never as markup.
import { ApiError, call, formatNumber, meterCatalog, session } from '../dashboard/client.js';

const operatorKey = session('beacon.operatorKey');
const TABS = ['fleet', 'licenses', 'statements', 'webhooks', 'audit'];
const $ = (id) => document.getElementById(id);

// meters: the catalog (/api/v1/meters), read at sign-in; every meter column and name comes from it.
// orgs: every org (id → name) seen on a page so far, for the organization filter; pages: the cursors of
// the pages visited in this listing (SPEC §15: listings page, and a page costs the same at any fleet size).
const state = { tab: 'fleet', orgs: new Map(), license: null, statement: null, meters: [], pages: { cursors: [null], at: 0, next: null } };
// Rows per page: 100, or ?limit= in the console's address (1–1,000).
const PAGE_SIZE = Math.min(1000, Math.max(1, Number.parseInt(new URLSearchParams(location.search).get('limit') ?? '100', 10) || 100));

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return node;
}

const utc = (iso) => (iso ? iso.replace('T', ' ').replace(/\.\d+/, '').replace(/(\+00:00|Z)$/, '') : '—');
const num = (n) => formatNumber(n === null || n === undefined ? n : Number(n));
const badge = (text) => el('span', { class: `badge ${text}` }, text);
const short = (id) => (id ? id.slice(0, 8) : '');

/** An operator API call's JSON; a refused key signs out (and rejects with 'signed out'). */
async function api(path, options = {}) {
  try {
    const res = await call(path, { ...options, header: 'X-Operator-Key', secret: operatorKey.get() });
    return (res.headers.get('content-type') ?? '').includes('json') ? await res.json() : null;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      signOut('The operator key was refused: it is unknown or has been revoked.');
      throw new Error('signed out');
    }
    throw e;
  }
}

function setStatus(text, kind = '') {
  const s = $('status');
  s.textContent = text;
  s.className = `status ${kind}`;
}

function table(head, rows, target = $('table')) {
  const thead = target.querySelector('thead');
  const tbody = target.querySelector('tbody');
  thead.replaceChildren(el('tr', {}, head.map((h) => el('th', { scope: 'col' }, h))));
  tbody.replaceChildren(...rows);
  // On a phone each row stacks its cells under their column names (styles.css), so no value is cut.
  const names = head.map((h) => (typeof h === 'string' ? h : h?.textContent ?? ''));
  for (const row of rows) [...row.children].forEach((cell, i) => { if (names[i]) cell.dataset.label = names[i]; });
}

function newTable(head, rows, label) {
  const t = el('table', {}, el('thead'), el('tbody'));
  table(head, rows, t);
  return el('div', { class: 'table-wrap', tabindex: '0', 'aria-label': label }, t);
}

// ---- Fleet ----------------------------------------------------------------------------------------

function deploymentRow(d, withOrg = true, usage = null) {
  const reporter = d.license_id
    ? el('button', { type: 'button', class: 'link', onclick: () => openLicense(d.license_id) }, `License ${short(d.license_id)}`)
    : `API key ${short(d.api_key_id)}`;
  return el('tr', { class: d.state, 'data-state': d.state },
    el('td', {}, badge(d.state)),
    withOrg ? el('td', {}, d.org_name) : null,
    el('td', {}, d.project_name || d.project_id || '(no project)'),
    el('td', {}, short(d.workspace_id)),
    el('td', {}, reporter),
    el('td', { class: 'num' }, num(d.replicas)),
    el('td', {}, d.client?.langgraph_api_version || '—'),
    el('td', {}, d.client?.host || '—'),
    el('td', {}, utc(d.last_report_at)),
    el('td', { class: 'num' }, num(d.runs_24h)),
    el('td', { class: 'num' }, num(d.nodes_24h)),
    usage ? el('td', { class: 'num', 'data-standby': '' }, num(standbyOf(usage, d))) : null);
}

// A deployment's standby minutes this month, from the license's usage (replicas counted once).
const standbyOf = (usage, d) => usage.deployments.find((u) => u.workspace_id === d.workspace_id && u.project_id === d.project_id)?.meters.standby_minutes ?? 0;

const deploymentHead = (withOrg = true, withUsage = false) =>
  ['State', withOrg ? 'Organization' : null, 'Project', 'Workspace', 'Reported by', 'Replicas', 'API version', 'Host', 'Last report', 'Runs (24\u00a0h)', 'Nodes (24\u00a0h)',
    withUsage ? 'Standby min (month)' : null].filter((h) => h);

async function showFleet() {
  const query = pageQuery(true);
  const { deployments, counts, next_cursor: next } = await api(`/api/v1/operator/deployments?${query}`);
  rememberOrgs(deployments);
  $('summary').replaceChildren(
    card('Deployments', num(counts.reporting + counts.silent)),
    card('Silent', num(counts.silent)),
    card('Replicas reporting (this page)', num(deployments.reduce((n, d) => n + d.replicas, 0))));
  table(deploymentHead(), deployments.map((d) => deploymentRow(d)));
  pager(deployments.length, next);
  setStatus(deployments.length === 0 ? 'No deployment has reported yet.' : counts.silent > 0 ? `${num(counts.silent)} silent deployment(s), listed first.` : 'Every deployment is reporting.', 'ready');
}

// The query of the current page: its size, its cursor, and (Fleet, Licenses) the org and state filters.
function pageQuery(filtered) {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (filtered && $('org-filter').value.trim()) query.set('org_id', $('org-filter').value.trim());
  if (filtered && $('state-filter').value) query.set('state', $('state-filter').value);
  const cursor = state.pages.cursors[state.pages.at];
  if (cursor) query.set('cursor', cursor);
  return query;
}

// The pager under the table: where this page sits, and buttons to the first, previous and next pages.
function pager(shown, next) {
  state.pages.next = next;
  const { at } = state.pages;
  $('pager').hidden = at === 0 && !next;
  $('page-first').disabled = at === 0;
  $('page-prev').disabled = at === 0;
  $('page-next').disabled = !next;
  $('page-label').textContent = `Page ${at + 1} · ${num(shown)} shown`;
}

function turnPage(step) {
  const p = state.pages;
  if (step === 'first') p.at = 0;
  else if (step === 'prev') p.at = Math.max(0, p.at - 1);
  else if (p.next) {
    p.cursors = p.cursors.slice(0, p.at + 1).concat([p.next]);
    p.at += 1;
  }
  return show(state.tab, { keepPage: true });
}

function rememberOrgs(items) {
  let added = false;
  for (const i of items) {
    if (i.org_id && !state.orgs.has(i.org_id)) {
      state.orgs.set(i.org_id, i.org_name);
      added = true;
    }
  }
  if (!added) return;
  // A suggestion list, not a closed choice: a fleet has more orgs than any page shows, and an org id can be pasted.
  const orgs = [...state.orgs.entries()].sort((a, b) => a[1].localeCompare(b[1]));
  $('org-options').replaceChildren(...orgs.map(([id, name]) => el('option', { value: id, label: name })));}

function card(title, value, meter) {
  return el('div', { class: 'card', 'data-meter': meter }, el('h3', {}, title), el('p', { class: 'value' }, value));
}

// ---- Licenses -------------------------------------------------------------------------------------

async function showLicenses() {
  const query = pageQuery(true);
  const { licenses, counts, next_cursor: next } = await api(`/api/v1/operator/licenses?${query}`);
  rememberOrgs(licenses);
  $('summary').replaceChildren(
    card('Licenses', num(counts.reporting + counts.silent + counts.never)),
    card('Silent', num(counts.silent)),
    card('Never reported', num(counts.never)));
  table(['Organization', 'License', 'Plan', 'Status', 'Expires', 'Reporting', 'Quotas', 'Last report', 'Verified (30\u00a0d)', 'Refused (30\u00a0d)', ''],
    licenses.map((l) => el('tr', { class: l.reporting_state },
      el('td', {}, l.org_name),
      el('td', {}, short(l.license_id)),
      el('td', {}, l.plan),
      el('td', {}, badge(l.status)),
      el('td', {}, utc(l.expires_at)),
      el('td', {}, badge(l.reporting_state)),
      el('td', {}, l.quotas.length ? badge(worstQuota(l.quotas)) : '—'),
      el('td', {}, utc(l.last_report_at)),
      el('td', { class: 'num' }, num(l.verifications_30d)),
      el('td', { class: 'num' }, num(l.refused_verifications_30d)),
      el('td', {}, el('button', { type: 'button', class: 'secondary', onclick: () => openLicense(l.license_id) }, 'Details')))));
  pager(licenses.length, next);
  setStatus(licenses.length === 0 ? 'No licenses yet. Create one with beacon admin license create.' : `${num(counts.reporting + counts.silent + counts.never)} license(s), silent ones first.`, 'ready');
}

// A detail that cannot be drawn says so in its place instead of "Loading…" forever; the message carries
// data-render-error so the tests tell it from a storage answer an operator would simply retry.
async function openLicense(id) {
  try {
    await showLicenseDetail(id);
  } catch (e) {
    if (e.message === 'signed out') return;
    $('detail-body').replaceChildren(el('p', { class: 'error', role: 'alert', 'data-render-error': '' }, `The license could not be shown: ${e.message}`));
  }
}

async function showLicenseDetail(id) {
  const detail = $('detail');
  detail.hidden = false;
  detail.removeAttribute('data-ready');
  $('detail-title').textContent = `License ${id}`;
  $('detail-body').replaceChildren(el('p', { class: 'status loading' }, 'Loading…'));
  // Each part loads on its own: one that fails (a storage deadline, say) shows its message in its place
  // and the rest of the license still shows. Only the license itself is needed for the page.
  const q = encodeURIComponent(id);
  const parts = await Promise.allSettled([
    api(`/api/v1/operator/licenses/${q}`),
    api(`/api/v1/operator/deployments?license_id=${q}&limit=${PAGE_SIZE}`),
    api(`/api/v1/operator/telemetry?license_id=${q}`),
    api(`/api/v1/operator/snapshots?license_id=${q}&limit=10`),
    api(`/api/v1/operator/licenses/${q}/usage`),
    api(`/api/v1/operator/licenses/${q}/usage-reports?limit=10`),
  ]);
  if (parts.some((p) => p.status === 'rejected' && p.reason.message === 'signed out')) return;
  if (parts[0].status === 'rejected') {
    $('detail-body').replaceChildren(el('p', { class: 'error', role: 'alert' }, parts[0].reason.message));
    return;
  }
  const [license, deploymentPage, telemetry, snapshotPage, usage, reportPage] = parts.map((p) => (p.status === 'fulfilled' ? p.value : null));
  const failed = (i, what) => el('p', { class: 'error', role: 'alert', 'data-part-error': '' }, `Could not load ${what}: ${parts[i].reason.message}`);
  state.license = license;
  $('detail-title').textContent = `${license.org_name} · ${license.plan} license ${short(id)}`;
  renderActions(license);
  $('detail-body').replaceChildren(
    el('p', {}, 'Status ', badge(license.status), ' · reporting ', badge(license.reporting_state),
      ` · expires ${utc(license.expires_at)} · entitlements: ${license.entitlements.join(', ') || 'none'}`),
    ...(usage ? [el('h3', {}, `Usage in ${usage.month} (UTC, as billed so far)`),
      el('dl', { class: 'usage', id: 'license-usage' }, state.meters.flatMap((m) => [
        el('dt', {}, m.title), el('dd', { class: 'num', 'data-meter': m.name }, num(usage.meters[m.name]))]))]
      : [el('h3', {}, 'Usage this month (UTC)'), failed(4, 'the usage')]),
    el('h3', {}, 'Quotas this month (UTC)'),
    license.quotas.length ? el('div', { class: 'quotas' }, license.quotas.map(quotaBar)) : el('p', {}, 'No quotas: usage is unlimited.'),
    el('h3', {}, 'Verifications (last 30 days)'),
    el('p', { id: 'verifications' }, `${num(license.verifications_30d)} verified, ${num(license.refused_verifications_30d)} refused; last verified ${utc(license.last_verified_at)}.`
      + (license.ignored_lower_count_reports_30d > 0 ? ` ${num(license.ignored_lower_count_reports_30d)} report(s) ignored for lowering counts.` : '')),
    ...deploymentsPart(deploymentPage, usage, () => failed(1, 'the deployments')),
    ...(telemetry ? telemetryPart(telemetry, id) : [el('h3', {}, 'Latest metrics'), failed(2, 'the telemetry')]),
    el('h3', {}, 'Usage snapshots'),
    snapshotPage ? snapshotsPart(snapshotPage.snapshots) : failed(3, 'the snapshots'),
    ...(reportPage ? reportsSection(license, reportPage.reports) : [el('h3', {}, 'Self-reported usage (air-gapped installs)'), failed(5, 'the usage reports')]));
  detail.setAttribute('data-ready', '');
  detail.scrollIntoView({ block: 'start' });
}

function deploymentsPart(page, usage, failed) {
  if (!page) return [el('h3', {}, 'Deployments'), failed()];
  const { deployments, counts, next_cursor: more } = page;
  return [
    el('h3', {}, more ? `Deployments (the first ${num(deployments.length)} of ${num(counts.reporting + counts.silent)})` : `Deployments (${num(deployments.length)})`),
    deployments.length ? newTable(deploymentHead(false, usage !== null), deployments.map((d) => deploymentRow(d, false, usage)), 'Deployments of this license') : el('p', {}, 'None has reported.'),
  ];
}

// The telemetry view pages each list on its own (next_cursors): "Show more" appends the list's next page.
function telemetryPart(telemetry, licenseId) {
  const metricRows = (t) => t.instances.flatMap((i) => i.metrics.map((m) => el('tr', {},
    el('td', {}, i.instance_id), el('td', {}, m.name), el('td', { class: 'num' }, String(m.value)), el('td', {}, m.unit), el('td', {}, utc(m.at)))));
  const logRows = (t) => t.logs.map((l) => el('tr', {},
    el('td', {}, utc(l.at)), el('td', {}, l.instance_id), el('td', {}, l.severity_text || String(l.severity_number ?? '')), el('td', { class: 'wrap log' }, l.body ?? '')));
  const metrics = metricRows(telemetry);
  const logs = logRows(telemetry);
  const metricTable = metrics.length ? newTable(['Instance', 'Metric', 'Value', 'Unit', 'At'], metrics, 'Latest metrics') : null;
  const logTable = logs.length ? newTable(['At', 'Instance', 'Severity', 'Message'], logs, 'Error logs') : null;
  return [
    el('h3', {}, 'Latest metrics'),
    metricTable ?? el('p', {}, 'No telemetry received.'),
    showMore(licenseId, telemetry.next_cursors.series, 'series', metricTable, metricRows, 'Show more metrics'),
    el('h3', {}, 'Error logs'),
    logTable ?? el('p', {}, 'No warnings or errors logged.'),
    showMore(licenseId, telemetry.next_cursors.logs, 'logs', logTable, logRows, 'Show more logs'),
  ].filter(Boolean);
}

function showMore(licenseId, cursor, list, wrap, rows, label) {
  if (!cursor || !wrap) return null;
  let next = cursor;
  const button = el('button', { type: 'button', class: 'more', 'data-more': list, onclick: async () => {
    button.disabled = true;
    try {
      const page = await api(`/api/v1/operator/telemetry?license_id=${encodeURIComponent(licenseId)}&cursor=${encodeURIComponent(next)}`);
      wrap.querySelector('tbody').append(...rows(page));
      next = page.next_cursors[list];
    } catch (e) {
      if (e.message !== 'signed out') setStatus(e.message, 'error');
    }
    if (next) button.disabled = false;
    else button.remove();
  } }, label);
  return button;
}

function snapshotsPart(snapshots) {
  return snapshots.length
    ? newTable(['From', 'To', 'Measures', 'Received'], snapshots.slice(0, 10).map((s) => el('tr', {},
      el('td', {}, utc(s.from_timestamp)), el('td', {}, utc(s.to_timestamp)),
      el('td', { class: 'wrap' }, Object.entries(s.measures).map(([k, v]) => `${k}: ${num(v)}`).join(', ')), el('td', {}, utc(s.received_at)))), 'Usage snapshots')
    : el('p', {}, 'No snapshots received.');
}

function renderActions(license) {
  const act = (action, label, cls, body) => el('button', {
    type: 'button', class: cls, 'data-action': action,
    onclick: async (event) => {
      if (action !== 'activate' && action !== 'extend' && !confirm(`${label} license ${short(license.license_id)} of ${license.org_name}? Deployments are refused within a minute.`)) return;
      $('detail-actions').querySelectorAll('.error').forEach((n) => n.remove());
      event.target.disabled = true;
      try {
        await api(`/api/v1/operator/licenses/${license.license_id}/${action}`, { method: 'POST', body: body ? JSON.stringify(body()) : '{}' });
        await openLicense(license.license_id);
        if (state.tab === 'licenses') await showLicenses();
      } catch (e) {
        if (e.message !== 'signed out') $('detail-actions').append(el('p', { class: 'error', role: 'alert' }, e.message));
      } finally {
        event.target.disabled = false;
      }
    },
  }, label);
  // A text field in the API's own format (a date picker shows the browser's locale order, mm/dd/yyyy for many).
  const until = el('input', { type: 'text', id: 'extend-until', required: true, inputmode: 'numeric', placeholder: 'YYYY-MM-DD', pattern: '\\d{4}-\\d{2}-\\d{2}', autocomplete: 'off' });
  const day = () => {
    const problem = dayProblem(until.value.trim());
    if (problem) throw new Error(problem);
    return `${until.value.trim()}T23:59:59Z`;
  };
  $('detail-actions').replaceChildren(
    license.status === 'active' ? act('suspend', 'Suspend', 'secondary') : act('activate', 'Activate', ''),
    license.status !== 'revoked' ? act('revoke', 'Revoke', 'danger') : '',
    el('label', {}, 'Until (UTC day, end of day)', until),
    act('extend', 'Extend', 'secondary', () => ({ expires_at: day() })),
    license.status === 'active' ? offlineKeyButton(license, day) : '');
}

/** Why a typed day is not one (YYYY-MM-DD, a real calendar day), or null. */
function dayProblem(value) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'Write the day as YYYY-MM-DD, like 2027-12-31.';
  const at = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== value) return `${value} is not a day of the calendar (YYYY-MM-DD).`;
  return null;
}

// ---- Self-reported usage (SPEC §17) --------------------------------------------------------------

const totalsText = (totals) => Object.entries(totals).filter(([, v]) => v).map(([k, v]) => `${k.replaceAll('_', ' ')} ${num(v)}`).join(', ') || 'nothing';
const daysText = (days) => (days.length === 1 ? days[0] : `${days.length} days, ${days[0]} to ${days.at(-1)}`);

function reportRow(r) {
  return el('tr', { 'data-report': r.report_id },
    el('td', {}, utc(r.received_at)), el('td', {}, r.kind === 'traces' ? 'Traces' : 'Deployments'), el('td', {}, daysText(r.days)),
    el('td', { class: 'wrap' }, totalsText(r.totals)), el('td', {}, r.reported_by), el('td', { class: 'mono' }, r.sha256.slice(0, 12)));
}

// An air-gapped install's usage arrives as the granular usage export's CSV, which the customer sends in:
// upload it here, and the customer gets the signed receipt shown below it.
function reportsSection(license, reports) {
  const file = el('input', { type: 'file', id: 'report-file', accept: '.csv,text/csv' });
  const by = el('input', { type: 'text', id: 'report-by', maxlength: '128', placeholder: 'e.g. their billing contact', autocomplete: 'off' });
  const result = el('div', { id: 'report-result' });
  const list = newTable(['Received', 'Kind', 'Days', 'Totals', 'Reported by', 'sha256'], reports.map(reportRow), 'Usage reports');
  const upload = el('button', {
    type: 'button', 'data-action': 'upload-report',
    onclick: async (event) => {
      result.replaceChildren();
      const chosen = file.files[0];
      if (!chosen) {
        result.append(el('p', { class: 'error', role: 'alert' }, 'Choose the CSV file the customer exported from their Granular Usage page.'));
        return;
      }
      event.target.disabled = true;
      try {
        const reportedBy = by.value.trim();
        const r = await api(`/api/v1/operator/licenses/${license.license_id}/usage-reports${reportedBy ? `?reported_by=${encodeURIComponent(reportedBy)}` : ''}`,
          { method: 'POST', body: await chosen.arrayBuffer(), contentType: 'text/csv' });
        const known = list.querySelector(`tr[data-report="${r.report_id}"]`);
        result.append(el('div', { class: 'receipt', role: 'status' },
          el('p', {}, known
            ? `Identical to the latest report (${short(r.report_id)}): nothing changed.`
            : `Recorded report ${short(r.report_id)}: ${daysText(r.days)}; ${totalsText(r.totals)}. For each of these days it replaces what earlier reports said.`),
          el('p', { class: 'mono' }, `sha256 ${r.sha256}`),
          el('label', {}, 'Receipt for the customer (verifies with the JWKS)', el('textarea', { readonly: true, rows: 3 }, r.receipt))));
        if (!known) {
          list.querySelector('tbody').prepend(reportRow(r));
          document.getElementById('no-reports')?.replaceWith(list);
        }
      } catch (e) {
        if (e.message === 'signed out') return;
        result.append(el('div', { class: 'error', role: 'alert' }, el('p', {}, `${e.message} Nothing was recorded.`),
          e.errors.length ? el('ul', {}, e.errors.map((x) => el('li', {}, `${x.field}: ${x.message}`))) : ''));
      } finally {
        event.target.disabled = false;
      }
    },
  }, 'Upload');
  return [
    el('h3', {}, 'Self-reported usage (air-gapped installs)'),
    el('p', {}, 'Upload the CSV the customer exported (daily buckets, grouped by workspace or project). For each day it covers, the latest report wins.'),
    el('div', { class: 'actions report-upload' }, el('label', {}, 'File', file), el('label', {}, 'Reported by', by), upload),
    result,
    reports.length ? list : el('p', { id: 'no-reports' }, 'No usage reported by hand.'),
  ];
}

// Issues an offline license key for an air-gapped install and shows it once (it is not stored anywhere).
function offlineKeyButton(license, day) {
  return el('button', {
    type: 'button', class: 'secondary', 'data-action': 'offline-key',
    onclick: async (event) => {
      $('detail-actions').querySelectorAll('.error, .offline-key').forEach((n) => n.remove());
      event.target.disabled = true;
      try {
        const key = await api(`/api/v1/operator/licenses/${license.license_id}/offline-key`, { method: 'POST', body: JSON.stringify({ expires_at: day() }) });
        $('detail-actions').append(el('div', { class: 'offline-key', role: 'status' },
          el('p', {}, `Offline key, valid until ${key.expires_at} (signed by ${key.kid}). Shown once: copy it now.`),
          el('textarea', { readonly: true, rows: 4, 'aria-label': 'Offline license key' }, key.license_key)));
      } catch (e) {
        if (e.message !== 'signed out') $('detail-actions').append(el('p', { class: 'error', role: 'alert' }, e.message));
      } finally {
        event.target.disabled = false;
      }
    },
  }, 'Offline key');
}

const QUOTA_RANK = { ok: 0, warning: 1, exceeded: 2 };
const worstQuota = (quotas) => quotas.map((q) => q.state).sort((a, b) => QUOTA_RANK[b] - QUOTA_RANK[a])[0];

// The CSP allows no inline style attribute; a width set through the CSSOM is fine.
function widthOf(node, percent) {
  node.style.width = `${Math.min(100, percent)}%`;
  return node;
}

// A bar per quota: the share used this month (capped at the bar's end), the numbers in words beside it.
function quotaBar(q) {
  return el('div', { class: 'quota', 'data-metric': q.metric, 'data-state': q.state },
    el('div', { class: 'quota-head' }, el('strong', {}, q.metric.replaceAll('_', ' ')), badge(q.state)),
    el('div', { class: 'quota-bar', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': String(q.limit), 'aria-valuenow': String(q.used), 'aria-label': `${q.metric} used` },
      widthOf(el('span'), q.percent)),
    el('p', { class: 'quota-text' }, `${num(q.used)} of ${num(q.limit)} (${q.percent}%) · projected ${num(q.projected)} by the end of the month`));
}

// ---- Statements -----------------------------------------------------------------------------------


// What is invoiced for a meter this month: every line (the month's totals, whatever page is shown), plus
// the adjustments recorded on this month (late usage for a closed month, credits); the table shows both.
const billed = (s, meter) => (s.totals[meter] ?? 0)
  + s.adjustments.filter((a) => a.metric === meter).reduce((n, a) => n + a.delta, 0);

function defaultMonth() {
  const d = new Date();
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1));
  return last.toISOString().slice(0, 7);
}

const monthEnded = (month) => new Date(`${month}-01T00:00:00Z`).getTime() < Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1);

async function showStatements() {
  const input = $('statement-month');
  if (!input.value) input.value = new URLSearchParams(location.search).get('month') ?? defaultMonth();
  const month = input.value;
  const url = new URL(location.href);
  url.searchParams.set('month', month);
  history.replaceState(null, '', url);
  const query = pageQuery(false);
  query.set('month', month);
  const s = await api(`/api/v1/operator/statements?${query}`);
  state.statement = s;
  const through = s.lines.map((l) => l.through).filter(Boolean).sort()[0];
  $('summary').replaceChildren(
    card('State', s.state === 'closed' ? `Closed ${utc(s.closed_at)}` : 'Open'),
    card('Lines', num(s.totals.lines)),
    card('Adjustments', num(s.adjustments.length)),
    card('Runs billed (lines + adjustments)', num(billed(s, 'agent_runs')), 'agent_runs'),
    card('Standby minutes billed (lines + adjustments)', num(billed(s, 'standby_minutes')), 'standby_minutes'));
  $('summary').firstChild.setAttribute('data-state', s.state);
  const empty = el('tr', {}, el('td', { colspan: String(4 + state.meters.length) }, s.state === 'open'
    ? 'No usage counted for this month yet (the rollup counts each day once it is over).' : 'No usage was reported for this month.'));
  table(['Organization', 'License', 'Plan', 'Counted through', ...state.meters.map((m) => `${m.title} (${m.unit})`)], s.lines.length === 0 ? [empty] : s.lines.map((l) => el('tr', { 'data-org': l.org_id },
    el('td', {}, l.org_name),
    el('td', { 'data-source': l.source }, (l.license_id ? short(l.license_id) : 'API keys') + (l.source === 'self_reported' ? ' · self-reported' : '')),
    el('td', {}, l.plan ?? '—'),
    el('td', {}, l.through ?? '—'),
    // null: the month was closed before this meter existed, so it was not billed.
    state.meters.map((m) => el('td', { class: 'num', 'data-meter': m.name }, num(l[m.name]))))));
  $('extra').replaceChildren(
    el('h3', {}, `Adjustments recorded in ${s.month}`),
    s.adjustments.length
      ? newTable(['Recorded', 'Organization', 'License', 'For month', 'Metric', 'Change', 'Reason', 'By'], s.adjustments.map((a) => el('tr', { class: 'adjustment', 'data-org': a.org_id },
        el('td', {}, utc(a.recorded_at)),
        el('td', {}, a.org_name || short(a.org_id)),
        el('td', {}, (a.license_id ? short(a.license_id) : 'API keys') + (a.source === 'self_reported' ? ' · self-reported' : '')),
        el('td', {}, a.for_month),
        el('td', {}, a.metric),
        el('td', { class: 'num' }, (a.delta > 0 ? '+' : '') + num(a.delta)),
        el('td', { class: 'wrap' }, a.reason),
        el('td', {}, a.actor))), 'Adjustments')
      : el('p', {}, 'None.'));
  $('statement-close').hidden = s.state !== 'open' || !monthEnded(month);
  pager(s.lines.length, s.next_cursor);
  setStatus(s.state === 'closed'
    ? `${s.month} is closed: its lines are frozen; later usage for it appears as adjustments on the next open month.`
    : `${s.month} is open: lines count usage through ${through ?? 'the last day that is over'} (each line says which day) and grow as the rollup counts each day.`, 'ready');
}

async function exportStatement() {
  const month = $('statement-month').value;
  let res;
  try {
    res = await call(`/api/v1/operator/statements?month=${encodeURIComponent(month)}&format=csv`, { header: 'X-Operator-Key', secret: operatorKey.get() });
  } catch (e) {
    setStatus(`The export failed: ${e.message}`, 'error');
    return;
  }
  const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `beacon_statement_${month}.csv`;
  const link = el('a', { href: URL.createObjectURL(await res.blob()), download: name });
  document.body.append(link);
  link.click();
  link.remove();
}

async function closeStatement() {
  const month = $('statement-month').value;
  if (!confirm(`Close ${month}? Its lines are frozen for invoicing; usage that arrives later becomes adjustments on the next open month.`)) return;
  try {
    await api(`/api/v1/operator/statements/${encodeURIComponent(month)}/close`, { method: 'POST', body: '{}' });
    await show('statements');
  } catch (e) {
    if (e.message !== 'signed out') setStatus(e.message, 'error');
  }
}

// ---- Webhooks (SPEC §18) --------------------------------------------------------------------------

const EVENT_TYPES = ['license.expiring', 'license.expired', 'license.suspended', 'license.revoked', 'license.activated', 'deployment.silent',
  'deployment.resumed', 'quota.warning', 'quota.exceeded', 'statement.closed', 'adjustment.recorded', 'usage_report.accepted'];

function webhookState(w) {
  if (w.disabled_at) return el('span', { class: 'badge revoked' }, `disabled ${utc(w.disabled_at).slice(0, 10)}`);
  if (w.failing_since) return el('span', { class: 'badge warning' }, `failing since ${utc(w.failing_since)}`);
  return badge('active');
}

async function showWebhooks() {
  const { webhooks } = await api('/api/v1/operator/webhooks');
  $('summary').replaceChildren();
  const act = (label, cls, run) => el('button', { type: 'button', class: cls, onclick: async (event) => {
    event.target.disabled = true;
    try { await run(); } catch (e) { if (e.message !== 'signed out') setStatus(e.message, 'error'); } finally { event.target.disabled = false; }
  } }, label);
  table(['State', 'URL', 'Events', 'Description', 'Created', ''], webhooks.length === 0
    ? [el('tr', {}, el('td', { colspan: '6' }, 'No webhook endpoints yet: add one below.'))]
    : webhooks.map((w) => el('tr', { 'data-webhook': w.id },
      el('td', {}, webhookState(w)), el('td', { class: 'mono wrap' }, w.url), el('td', { class: 'wrap' }, w.events.length ? w.events.join(', ') : 'every event'),
      el('td', { class: 'wrap' }, w.description), el('td', {}, utc(w.created_at)),
      el('td', { class: 'row-actions' },
        act('Deliveries', 'secondary', () => showDeliveries(w)),
        act('Send test', 'secondary', async () => { await api(`/api/v1/operator/webhooks/${w.id}/test`, { method: 'POST', body: '{}' }); setStatus('A webhook.test event is queued: the next alerts run (within a minute) sends it.', 'ready'); }),
        act('Delete', 'danger', async () => { if (confirm(`Delete the webhook to ${w.url}?`)) { await api(`/api/v1/operator/webhooks/${w.id}`, { method: 'DELETE' }); await show('webhooks'); } })))));
  const url = el('input', { type: 'url', id: 'webhook-url', required: true, placeholder: 'https://alerts.example.com/beacon', autocomplete: 'off' });
  const description = el('input', { type: 'text', id: 'webhook-description', maxlength: '500', autocomplete: 'off' });
  const boxes = EVENT_TYPES.map((t) => el('label', { class: 'check' }, el('input', { type: 'checkbox', value: t }), t));
  const result = el('div', { id: 'webhook-result' });
  $('extra').replaceChildren(
    el('h3', {}, 'Add a webhook endpoint'),
    el('div', { class: 'actions' }, el('label', {}, 'URL (https)', url), el('label', {}, 'Description', description),
      act('Add', '', async () => {
        result.replaceChildren();
        const events = boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
        try {
          const created = await api('/api/v1/operator/webhooks', { method: 'POST', body: JSON.stringify({ url: url.value.trim(), events, description: description.value.trim() }) });
          await showWebhooks();
          $('extra').append(el('div', { class: 'receipt', id: 'webhook-secret', role: 'status' },
            el('p', {}, `Webhook ${created.id} added. Its signing secret is shown once: give it to the receiver now.`),
            el('textarea', { readonly: true, rows: 2, 'aria-label': 'Signing secret' }, created.secret)));
        } catch (e) {
          if (e.message === 'signed out') return;
          result.append(el('div', { class: 'error', role: 'alert' }, el('p', {}, e.message), e.errors?.length ? el('ul', {}, e.errors.map((x) => el('li', {}, `${x.field}: ${x.message}`))) : ''));
        }
      })),
    el('fieldset', { class: 'events' }, el('legend', {}, 'Events (none checked: every event)'), boxes),
    result,
    el('div', { id: 'deliveries' }));
  setStatus(webhooks.length === 0 ? 'No webhook endpoints.' : `${num(webhooks.length)} webhook endpoint(s).`, 'ready');
}

async function showDeliveries(w) {
  const { deliveries } = await api(`/api/v1/operator/webhooks/${w.id}/deliveries?limit=50`);
  $('deliveries').replaceChildren(
    el('h3', {}, `Deliveries to ${w.url} (newest first)`),
    deliveries.length ? newTable(['Event', 'Type', 'Status', 'Attempts', 'Last status', 'Last error', 'Next attempt', ''], deliveries.map((d) => el('tr', { 'data-delivery': d.delivery_id },
      el('td', { class: 'mono' }, d.event_id), el('td', {}, d.type), el('td', {}, badge(d.status === 'delivered' ? 'ok' : d.status === 'failed' ? 'exceeded' : 'warning')),
      el('td', { class: 'num' }, num(d.attempts)), el('td', {}, d.last_status_code ?? '—'), el('td', { class: 'wrap log' }, d.last_error ?? ''), el('td', {}, utc(d.next_attempt_at)),
      el('td', {}, el('button', { type: 'button', class: 'secondary', onclick: async () => {
        await api(`/api/v1/operator/webhooks/deliveries/${encodeURIComponent(d.delivery_id)}/redeliver`, { method: 'POST', body: '{}' });
        await showDeliveries(w);
      } }, 'Redeliver')))), 'Deliveries') : el('p', {}, 'Nothing sent yet.'));
}

// ---- Audit ----------------------------------------------------------------------------------------

async function showAudit() {
  const query = pageQuery(false);
  const { records, next_cursor: next } = await api(`/api/v1/operator/audit?${query}`);
  $('summary').replaceChildren();
  $('extra').replaceChildren();
  table(['At', 'Actor', 'Action', 'Target', 'Detail'], records.map((r) => el('tr', {},
    el('td', {}, utc(r.at)), el('td', {}, r.actor), el('td', {}, r.action), el('td', {}, r.target),
    el('td', { class: 'wrap' }, Object.entries(r.detail).filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`).join(' · ')))));
  pager(records.length, next);
  setStatus(records.length === 0 ? 'Nothing has been changed yet.' : 'Changes, newest first.', 'ready');
}

// ---- Shell ----------------------------------------------------------------------------------------

async function show(tab, { keepPage = false } = {}) {
  const previous = state.tab;
  state.tab = TABS.includes(tab) ? tab : 'fleet';
  // A license's detail belongs to the list it was opened from; another tab closes it.
  if (state.tab !== previous) $('detail').hidden = true;
  if (!keepPage) state.pages = { cursors: [null], at: 0, next: null };
  $('pager').hidden = true;
  const url = new URL(location.href);
  url.searchParams.set('tab', state.tab);
  history.replaceState(null, '', url);
  for (const t of TABS) {
    const button = $(`tab-${t}`);
    button.setAttribute('aria-selected', String(t === state.tab));
    button.tabIndex = t === state.tab ? 0 : -1;
  }
  $('fleet-filters').hidden = state.tab !== 'fleet' && state.tab !== 'licenses';
  $('statement-filters').hidden = state.tab !== 'statements';
  if (state.tab !== 'statements' && state.tab !== 'webhooks') $('extra').replaceChildren();
  // Each tab's table starts at its first column and row: the previous tab's scroll means nothing here.
  const wrap = $('table').parentElement;
  wrap.scrollLeft = 0;
  wrap.scrollTop = 0;
  setStatus('Loading…', 'loading');
  try {
    if (state.tab === 'fleet') await showFleet();
    else if (state.tab === 'licenses') await showLicenses();
    else if (state.tab === 'statements') await showStatements();
    else if (state.tab === 'webhooks') await showWebhooks();
    else await showAudit();
  } catch (e) {
    if (e.message !== 'signed out') setStatus(e.message, 'error');
  }
}

function signOut(message) {
  operatorKey.clear();
  $('console').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  const error = $('sign-in-error');
  error.textContent = message ?? '';
  error.hidden = !message;
}

async function signIn(key) {
  operatorKey.set(key);
  try {
    await call('/api/v1/operator/audit?limit=1', { header: 'X-Operator-Key', secret: key });
  } catch (e) {
    signOut(e.status === 401 ? 'That operator key is unknown or revoked.' : `Sign-in failed (${e.status ?? e.message}).`);
    return;
  }
  try {
    state.meters = (await meterCatalog()).meters;
  } catch (e) {
    signOut(`The meter catalog could not be loaded (${e.status ?? e.message}).`);
    return;
  }
  $('sign-in').hidden = true;
  $('console').hidden = false;
  $('sign-out').hidden = false;
  await show(new URLSearchParams(location.search).get('tab') ?? 'fleet');
}

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn($('operator-key').value.trim());
});
$('sign-out').addEventListener('click', () => signOut());
$('detail-close').addEventListener('click', () => { $('detail').hidden = true; });
for (const t of TABS) $(`tab-${t}`).addEventListener('click', () => show(t));
document.querySelector('[role=tablist]').addEventListener('keydown', (event) => {
  const i = TABS.indexOf(state.tab);
  if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
    const next = TABS[(i + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
    show(next).then(() => $(`tab-${next}`).focus());
  }
});
// The organization and state filters apply to the Fleet and Licenses tabs alike.
$('org-filter').addEventListener('change', () => show(state.tab));
$('fleet-filters').addEventListener('submit', (event) => {
  event.preventDefault();
  show(state.tab);
});
$('state-filter').addEventListener('change', () => show(state.tab));
$('page-first').addEventListener('click', () => turnPage('first'));
$('page-prev').addEventListener('click', () => turnPage('prev'));
$('page-next').addEventListener('click', () => turnPage('next'));
$('statement-month').addEventListener('change', () => { if ($('statement-month').value) show('statements'); });
$('statement-export').addEventListener('click', () => exportStatement());
$('statement-close').addEventListener('click', () => closeStatement());

if (operatorKey.get()) signIn(operatorKey.get());
else signOut();
