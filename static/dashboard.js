// The dashboard's charts (templates/dashboard.mustache). Every section with a
// data-endpoint gets a chart drawn with Chart.js from that endpoint's JSON,
// and a button switching between the chart and the table the server rendered
// (without JavaScript, the tables are all there is). Series are told apart by
// fill pattern, line dash and marker shape, not by colour alone, and every
// axis and legend is labelled. When every chart is drawn (or has failed),
// the page's .dashboard element gets data-charts="ready".
(() => {
  'use strict';
  const root = document.querySelector('.dashboard');
  if (!root || typeof window.Chart !== 'function') return;
  const Chart = window.Chart;
  const css = getComputedStyle(document.documentElement);
  const cssVar = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const INK = cssVar('--text', '#1c2127');
  const MUTED = cssVar('--text-muted', '#5b6570');
  const GRID = cssVar('--border', '#e0e4e9');
  const COLOURS = [cssVar('--accent', '#4453d6'), '#c2410c', '#0f766e', '#7c3aed', '#a16207'];
  const DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3], [1, 2]];
  const MARKERS = ['circle', 'triangle', 'rect', 'rectRot', 'star'];

  Chart.defaults.color = INK;
  Chart.defaults.borderColor = GRID;
  Chart.defaults.font.family = cssVar('--font', 'system-ui, sans-serif');
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  /** A fill for series i: solid, diagonal hatch, dots, cross-hatch, … in its colour. */
  function fill(i) {
    const colour = COLOURS[i % COLOURS.length];
    const kind = i % 4;
    if (kind === 0) return colour;
    const c = document.createElement('canvas');
    c.width = c.height = 8;
    const g = c.getContext('2d');
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, 8, 8);
    g.strokeStyle = g.fillStyle = colour;
    g.lineWidth = 2;
    if (kind === 2) {
      g.beginPath();
      g.arc(4, 4, 2, 0, 2 * Math.PI);
      g.fill();
    } else {
      g.beginPath();
      g.moveTo(0, 8); g.lineTo(8, 0);
      if (kind === 3) { g.moveTo(0, 0); g.lineTo(8, 8); }
      g.stroke();
    }
    return g.createPattern(c, 'repeat');
  }
  const bars = (label, data, i = 0, extra = {}) => ({
    type: 'bar', label, data, backgroundColor: fill(i), borderColor: COLOURS[i % COLOURS.length], borderWidth: 1.5, ...extra,
  });
  const line = (label, data, i = 0, extra = {}) => ({
    type: 'line', label, data, borderColor: COLOURS[i % COLOURS.length], backgroundColor: COLOURS[i % COLOURS.length],
    borderDash: DASHES[i % DASHES.length], pointStyle: MARKERS[i % MARKERS.length], pointRadius: 4, pointHoverRadius: 6,
    borderWidth: 2, tension: 0, ...extra,
  });
  const pct = (v) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);
  const money = (v) => Math.round(v).toLocaleString('en-US');
  const axis = (title, extra = {}) => ({ title: { display: true, text: title, color: MUTED }, beginAtZero: true, ...extra });
  const counts = { ticks: { precision: 0 } };

  /** The chart of each kind: { type, data, options } from the endpoint's JSON. */
  const KINDS = {
    funnel: (d) => ({
      data: {
        labels: d.stages.map((s) => (s.conversion === null ? s.label : [s.label, `${pct(s.conversion)}% of previous`])),
        datasets: [bars('Applications', d.stages.map((s) => s.count))],
      },
      options: { scales: { y: axis('Applications', counts) }, plugins: { legend: { display: false } } },
    }),
    pipeline: (d) => ({
      data: { labels: d.statuses.map((s) => s.label), datasets: [bars('Applications', d.statuses.map((s) => s.count))] },
      options: { indexAxis: 'y', scales: { x: axis('Applications', counts) }, plugins: { legend: { display: false } } },
    }),
    by_source: (d) => responses(d.by_source.map((g) => g.source || '(no source)'), d.by_source),
    by_month: (d) => responses(d.by_month.map((g) => g.month), d.by_month),
    activity: (d) => ({
      data: {
        labels: d.weeks.map((w) => w.week),
        datasets: [line('Saved', d.weeks.map((w) => w.saved), 1), line('Applied', d.weeks.map((w) => w.applied), 0)],
      },
      options: { scales: { x: axis('Week of'), y: axis('Applications', counts) } },
    }),
    skills: (d) => ({
      data: {
        labels: d.weeks.map((w) => w.week),
        datasets: d.skills.slice(0, 5).map((s, i) => line(s.name, s.weekly, i)),
      },
      options: { scales: { x: axis('Week of'), y: axis('Postings mentioning it', counts) } },
    }),
    salary: (d) => {
      const c = d.currencies[0];
      if (!c) return null;
      return {
        data: {
          labels: c.histogram.map((b) => `${money(b.from)}–${money(b.to)}`),
          datasets: [bars(`Postings (${c.currency} a year)`, c.histogram.map((b) => b.count), 1)],
        },
        options: { scales: { x: axis(`Yearly salary, ${c.currency}`), y: axis('Postings', counts) } },
      };
    },
    sources: (d) => ({
      data: {
        labels: d.sources.map((s) => s.source),
        datasets: [bars('Open', d.sources.map((s) => s.open), 0), bars('All, closed included', d.sources.map((s) => s.postings), 1)],
      },
      options: { scales: { y: axis('Postings', counts) } },
    }),
    remote: (d) => ({
      data: {
        labels: d.workplaces.map((w) => `${w.workplace} (${pct(w.share) ?? 0}%)`),
        datasets: [bars('Open postings', d.workplaces.map((w) => w.postings), 2)],
      },
      options: { scales: { y: axis('Open postings', counts) }, plugins: { legend: { display: false } } },
    }),
    daily: (d) => ({
      data: { labels: d.days.map((x) => x.day), datasets: [bars('Postings', d.days.map((x) => x.postings))] },
      options: { scales: { x: axis('Day'), y: axis('Postings', counts) }, plugins: { legend: { display: false } } },
    }),
  };

  /** Response rate (bars, left axis) and median days to a first response (line, right axis). */
  function responses(labels, groups) {
    return {
      data: {
        labels,
        datasets: [
          bars('Response rate (%)', groups.map((g) => pct(g.response_rate)), 0, { yAxisID: 'y' }),
          line('Median days to first response', groups.map((g) => g.median_response_days), 1, { yAxisID: 'y1' }),
        ],
      },
      options: {
        scales: {
          y: axis('Response rate (%)', { max: 100 }),
          y1: axis('Median days', { position: 'right', grid: { drawOnChartArea: false } }),
        },
      },
    };
  }

  /** Puts the chart/table switch into section s; shows the chart. */
  function addToggle(s, chartBox, table) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'btn btn-quiet btn-sm dash-toggle';
    const show = (tableShown) => {
      table.hidden = !tableShown;
      chartBox.hidden = tableShown;
      b.textContent = tableShown ? 'Show chart' : 'Show table';
      b.setAttribute('aria-pressed', String(tableShown));
    };
    b.addEventListener('click', () => show(chartBox.hidden === false));
    s.querySelector('.dash-head').append(b);
    show(false);
  }

  async function draw(s) {
    const make = KINDS[s.dataset.chart];
    const table = s.querySelector('.dash-table');
    if (!make || !table) return;
    const r = await fetch(s.dataset.endpoint, { headers: { accept: 'application/json' } });
    if (!r.ok) throw new Error(`${s.dataset.endpoint}: ${r.status}`);
    const spec = make(await r.json());
    if (!spec) return;
    const box = document.createElement('div');
    box.className = 'dash-chart';
    const canvas = document.createElement('canvas');
    const title = s.querySelector('h3').textContent;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `${title}: chart (the table has the same numbers)`);
    box.append(canvas);
    table.before(box);
    spec.options.plugins = { ...(spec.options.plugins || {}), legend: { labels: { usePointStyle: true }, ...(spec.options.plugins?.legend || {}) } };
    new Chart(canvas, { type: spec.data.datasets[0].type, ...spec });
    addToggle(s, box, table);
    s.dataset.drawn = 'true';
  }

  const sections = [...root.querySelectorAll('.dash-section[data-endpoint]')];
  Promise.allSettled(sections.map(draw)).then((results) => {
    results.forEach((res, i) => {
      if (res.status === 'rejected') sections[i].dataset.drawn = 'failed';
    });
    root.dataset.charts = 'ready';
  });
})();
