// Turns an API answer into stat cards, one stacked chart per metric, and a table.
const number = new Intl.NumberFormat('en-US');
const PALETTE = ['#2563eb', '#16a34a', '#ea580c', '#9333ea', '#0891b2', '#db2777', '#ca8a04', '#4b5563', '#dc2626', '#0d9488'];

export const METRICS = {
  traces: [{ field: 'traces', title: 'Total Traces' }],
  deployments: [
    { field: 'nodes_executed', title: 'Total Nodes Executed' },
    { field: 'agent_runs', title: 'Total Agent Runs' },
    { field: 'agent_uptime_seconds', title: 'Total Agent Uptime (seconds)' },
  ],
};

const GROUP_COLUMN = { workspace: 'Workspace', project: 'Project', user: 'User', api_key: 'API key' };

/** The label of a record's dimension value: its name when known, else its id, else "(none)". */
export function seriesLabel(dimensions) {
  const d = dimensions;
  return d.workspace_name ?? d.project_name ?? d.user_email ?? d.workspace_id ?? d.project_id ?? d.user_id ?? d.api_key_short_key ?? d.trace_tier ?? '(none)';
}

export function totals(tab, usage) {
  return METRICS[tab].map((m) => ({ ...m, value: usage.reduce((sum, r) => sum + (r[m.field] ?? 0), 0) }));
}

export function renderCards(container, tab, usage) {
  container.replaceChildren(...totals(tab, usage).map((t) => {
    const card = document.createElement('div');
    card.className = 'card';
    card.dataset.metric = t.field;
    const title = document.createElement('h3');
    title.textContent = t.title;
    const value = document.createElement('p');
    value.className = 'value';
    value.textContent = number.format(t.value);
    card.append(title, value);
    return card;
  }));
}

let charts = [];

export function renderCharts(container, tab, usage) {
  for (const c of charts) c.destroy();
  charts = [];
  container.replaceChildren();
  const buckets = [...new Set(usage.map((r) => r.time_bucket))].sort();
  const series = [...new Set(usage.map((r) => seriesLabel(r.dimensions)))];
  for (const metric of METRICS[tab]) {
    const figure = document.createElement('figure');
    figure.className = 'chart';
    const caption = document.createElement('figcaption');
    caption.textContent = metric.title.replace('Total ', '');
    const canvas = document.createElement('canvas');
    canvas.id = `chart-${metric.field}`;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `${caption.textContent} per time bucket, stacked by ${series.length} series`);
    figure.append(caption, canvas);
    container.append(figure);
    const datasets = series.map((label, i) => ({
      label,
      backgroundColor: PALETTE[i % PALETTE.length],
      data: buckets.map((b) => usage.filter((r) => r.time_bucket === b && seriesLabel(r.dimensions) === label)
        .reduce((sum, r) => sum + (r[metric.field] ?? 0), 0)),
    }));
    charts.push(new window.Chart(canvas, {
      type: 'bar',
      data: { labels: buckets.map((b) => b.slice(0, 10)), datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { callback: (v) => number.format(v) } } },
        plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${number.format(c.raw)}` } } },
      },
    }));
  }
}

export function renderTable(table, tab, group, usage) {
  const head = ['Time bucket (UTC)', GROUP_COLUMN[group], ...METRICS[tab].map((m) => m.title.replace('Total ', ''))];
  const tr = document.createElement('tr');
  tr.append(...head.map((h) => Object.assign(document.createElement('th'), { scope: 'col', textContent: h })));
  table.tHead.replaceChildren(tr);
  table.tBodies[0].replaceChildren(...usage.map((r) => {
    const row = document.createElement('tr');
    const cells = [r.time_bucket.slice(0, 10), seriesLabel(r.dimensions), ...METRICS[tab].map((m) => number.format(r[m.field] ?? 0))];
    row.append(...cells.map((text, i) => Object.assign(document.createElement('td'), { textContent: text, className: i >= 2 ? 'num' : '' })));
    return row;
  }));
}
