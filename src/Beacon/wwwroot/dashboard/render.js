// Turns an API answer into stat cards, one stacked chart per metric, and a paged table. Every bucket of
// the range is drawn (zeros too), a partial last bucket is marked, and each dimension value keeps one
// colour wherever it appears in this browser.
import { formatNumber } from './client.js';

const number = { format: formatNumber };
const hours = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
// Twenty colours no two of which are alike (CIE76 ΔE ≥ 20, held by PaletteTests): the second ten used to be darker
// shades of the first, and two near-identical reds went to different projects.
const PALETTE = ['#2563eb', '#16a34a', '#ea580c', '#9333ea', '#0891b2', '#db2777', '#ca8a04', '#4b5563', '#dc2626', '#0d9488',
  '#fca5a5', '#c4b5fd', '#78350f', '#bef264', '#e879f9', '#fde68a', '#3f6212', '#312e81', '#d6d3d1', '#67e8f9'];
const COLOURS = 'beacon.colours';
const DAY = 86_400_000;
export const PAGE_SIZE = 25;

// What each tab shows, read from the meter catalog (/api/v1/meters) before anything is drawn: a card and a
// chart per field that has a card, and a column per field; a field that is a note on another (standby
// minutes on uptime) is written under that card instead of a card of its own.
export const METRICS = { traces: [], deployments: [] };
export const NOTES = { traces: [], deployments: [] };
const KINDS = { traces: 'traces', deployments: 'langsmith_deployments' };

export function setCatalog(catalog) {
  for (const [tab, kind] of Object.entries(KINDS)) {
    const fields = catalog.granular_fields[kind] ?? [];
    METRICS[tab] = fields.filter((f) => f.card).map((f) => ({
      field: f.name, title: f.unit === 'seconds' ? `${f.card} (hours)` : f.card, hours: f.unit === 'seconds',
    }));
    NOTES[tab] = fields.filter((f) => f.note_on).map((f) => ({ field: f.name, on: f.note_on, text: f.note_text, title: f.name.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase()) }));
  }
}

/** The table's value columns: every card field, then every note field. */
const COLUMNS = (tab) => [...METRICS[tab], ...NOTES[tab].map((n) => ({ field: n.field, title: n.title }))];

const GROUP_COLUMN = { workspace: 'Workspace', project: 'Project', user: 'User', api_key: 'API key' };

/** The label of a record's dimension value: its name when known, else its id, else "(none)". */
export function seriesLabel(dimensions) {
  const d = dimensions;
  return d.workspace_name ?? d.project_name ?? d.user_email ?? d.workspace_id ?? d.project_id ?? d.user_id ?? d.api_key_short_key ?? d.trace_tier ?? '(none)';
}

/** What identifies a dimension value (its id, or its label when it has none): the key of its colour. */
function seriesKey(dimensions) {
  const d = dimensions;
  const id = d.workspace_id ?? d.project_id ?? d.user_id ?? d.api_key_short_key ?? d.trace_tier;
  return id ?? `label:${seriesLabel(d)}`;
}

/** One colour per dimension value, assigned on first sight and kept (this browser): never by sort order. */
export function colourFor(key) {
  let map = {};
  try { map = JSON.parse(localStorage.getItem(COLOURS) ?? '{}'); } catch { map = {}; }
  if (!(key in map)) {
    map[key] = Object.keys(map).length % PALETTE.length;
    try { localStorage.setItem(COLOURS, JSON.stringify(map)); } catch { /* private mode: colours last for this page */ }
  }
  return PALETTE[map[key]];
}

/** Every bucket of [start, end) at the stride: [{start: 'YYYY-MM-DD', days, partial}]. */
export function bucketsOf(start, end, strideDays) {
  const out = [];
  const endMs = Date.parse(end);
  for (let s = Date.parse(start); s < endMs; s += strideDays * DAY) {
    const days = Math.round((Math.min(endMs, s + strideDays * DAY) - s) / DAY);
    out.push({ start: new Date(s).toISOString().slice(0, 10), days, partial: days < strideDays });
  }
  return out;
}

/** The stride in plain words. */
export function strideWords(days) {
  return { 1: 'daily', 7: 'weekly', 30: '30-day', 365: 'yearly' }[days] ?? `${days}-day`;
}

const display = (metric, value) => (metric.hours ? `${hours.format(value / 3600)} h` : number.format(value));
const exact = (metric, value) => (metric.hours ? `${number.format(value)} seconds` : '');

export function totals(tab, usage) {
  return METRICS[tab].map((m) => ({ ...m, value: usage.reduce((sum, r) => sum + (r[m.field] ?? 0), 0) }));
}

/** billed: each note field's total as billed (deduplicated over deployments), by field name. */
export function renderCards(container, tab, usage, billed = {}) {
  container.replaceChildren(...totals(tab, usage).map((t) => {
    const card = document.createElement('div');
    card.className = 'card';
    card.dataset.metric = t.field;
    card.dataset.value = String(t.value);
    const title = document.createElement('h3');
    title.textContent = t.title;
    const value = document.createElement('p');
    value.className = 'value';
    value.textContent = display(t, t.value);
    if (t.hours) value.title = exact(t, t.value);
    card.append(title, value);
    for (const n of NOTES[tab].filter((x) => x.on === t.field)) {
      const note = document.createElement('p');
      note.className = 'note';
      note.dataset.note = n.field;
      note.dataset.value = String(billed[n.field] ?? 0);
      note.textContent = `= ${number.format(billed[n.field] ?? 0)} ${n.text}`;
      card.append(note);
    }
    return card;
  }));
}

let charts = [];

export function renderCharts(container, tab, usage, buckets) {
  for (const c of charts) c.destroy();
  charts = [];
  container.replaceChildren();
  const series = new Map();
  for (const r of usage) series.set(seriesKey(r.dimensions), seriesLabel(r.dimensions));
  const labels = buckets.map((b) => (b.partial ? [b.start, `partial: ${b.days} of ${buckets[0].days} days`] : b.start));
  for (const metric of METRICS[tab]) {
    const figure = document.createElement('figure');
    figure.className = 'chart';
    const caption = document.createElement('figcaption');
    caption.textContent = metric.title.replace('Total ', '');
    const canvas = document.createElement('canvas');
    canvas.id = `chart-${metric.field}`;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `${caption.textContent} per time bucket, stacked by ${series.size} series`);
    // Chart.js sizes the canvas to this box, which holds nothing else: the plot keeps its height however many
    // series there are. On a phone the legend is a list below the box instead of a block inside the canvas,
    // where it took all but 30–65 px of the plot.
    const plot = document.createElement('div');
    plot.className = 'plot';
    plot.append(canvas);
    figure.append(caption, plot);
    const narrow = window.matchMedia('(max-width: 640px)').matches;
    if (narrow && series.size > 0) {
      const legend = document.createElement('ul');
      legend.className = 'legend';
      legend.setAttribute('aria-label', `${caption.textContent} series`);
      legend.append(...[...series].map(([key, label]) => {
        const item = document.createElement('li');
        const swatch = document.createElement('span');
        swatch.className = 'swatch';
        swatch.style.background = colourFor(key);
        item.append(swatch, document.createTextNode(label));
        return item;
      }));
      figure.append(legend);
    }
    container.append(figure);
    const datasets = [...series].map(([key, label]) => {
      const colour = colourFor(key);
      return {
        label,
        seriesKey: key,
        // A partial last bucket is drawn paler: it covers fewer days, it did not collapse.
        backgroundColor: buckets.map((b) => (b.partial ? `${colour}66` : colour)),
        borderColor: colour,
        data: buckets.map((b) => {
          const sum = usage.filter((r) => r.time_bucket.slice(0, 10) === b.start && seriesKey(r.dimensions) === key).reduce((n, r) => n + (r[metric.field] ?? 0), 0);
          return metric.hours ? sum / 3600 : sum;
        }),
      };
    });
    charts.push(new window.Chart(canvas, {
      type: 'bar',
      data: { labels, datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { callback: (v) => (metric.hours ? `${hours.format(v)} h` : number.format(v)) } } },
        plugins: {
          legend: { display: !narrow, position: 'bottom' },
          tooltip: {
            callbacks: {
              label: (c) => (metric.hours
                ? `${c.dataset.label}: ${hours.format(c.raw)} h (${number.format(Math.round(c.raw * 3600))} seconds)`
                : `${c.dataset.label}: ${number.format(c.raw)}`),
            },
          },
        },
      },
    }));
  }
}

export function renderTable(table, pager, tab, group, usage, buckets, page = 0) {
  const head = ['Time bucket (UTC)', GROUP_COLUMN[group], ...COLUMNS(tab).map((m) => m.title.replace('Total ', ''))];
  const tr = document.createElement('tr');
  tr.append(...head.map((h) => Object.assign(document.createElement('th'), { scope: 'col', textContent: h })));
  table.tHead.replaceChildren(tr);
  const partial = new Set(buckets.filter((b) => b.partial).map((b) => b.start));
  const pages = Math.max(1, Math.ceil(usage.length / PAGE_SIZE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const shown = usage.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  table.tBodies[0].replaceChildren(...shown.map((r) => {
    const row = document.createElement('tr');
    const day = r.time_bucket.slice(0, 10);
    if (partial.has(day)) row.className = 'partial';
    // data-label: on a phone each row stacks its cells under their column names, so no value is cut.
    const cell = (i, props) => {
      const td = Object.assign(document.createElement('td'), props);
      td.dataset.label = head[i];
      return td;
    };
    row.append(cell(0, { textContent: partial.has(day) ? `${day} (partial)` : day }));
    row.append(cell(1, { textContent: seriesLabel(r.dimensions) }));
    COLUMNS(tab).forEach((m, i) => {
      const value = r[m.field] ?? 0;
      row.append(cell(i + 2, { textContent: display(m, value), title: exact(m, value), className: 'num' }));
    });
    return row;
  }));
  pager.hidden = usage.length <= PAGE_SIZE;
  pager.querySelector('#page-info').textContent = usage.length === 0 ? ''
    : `Rows ${number.format(current * PAGE_SIZE + 1)}–${number.format(current * PAGE_SIZE + shown.length)} of ${number.format(usage.length)}`;
  pager.querySelector('#page-prev').disabled = current === 0;
  pager.querySelector('#page-next').disabled = current >= pages - 1;
  return current;
}
