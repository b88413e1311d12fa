// Net sales over a chosen range (GET .../reports/sales): an SVG bar chart built with Preact, and the same
// figures as a table for screen readers (or for anyone, with "Show the figures").
import { html, useState } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { minorDigits, money, number } from "../../lib/format.js";
import { storeApi } from "../../lib/store.js";
import { Button, Card, ErrorNotice, Loading, useAsync } from "../../lib/ui.js";
import { granularityFor, labelled, longDay, niceScale, shortDay } from "./chart-scale.js";

const PRESETS = [
  { value: "7d", label: "7 days" },
  { value: "30d", label: "30 days" },
  { value: "90d", label: "90 days" },
  { value: "custom", label: "Custom" },
];
const W = 680;
const H = 250;
const PAD = { left: 86, right: 10, top: 12, bottom: 34 };

// Many thin bars: the first and last labels hang inwards so they stay inside the chart.
function edgeAnchor(i, count) {
  if (count <= 8) return "middle";
  return i === 0 ? "start" : i === count - 1 ? "end" : "middle";
}

function edgeX(i, count, x, barW) {
  const anchor = edgeAnchor(i, count);
  return anchor === "start" ? x : anchor === "end" ? x + barW : x + barW / 2;
}

function Bars({ series, currency }) {
  const values = series.map((s) => s.net_sales.amount);
  const highest = Math.max(0, ...values);
  // Without sales the axis still reads as money (0 to 100), not as fractions of a cent.
  const { top, step } = niceScale(Math.max(highest, 100 * 10 ** minorDigits(currency)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(series.length, 1);
  const barW = Math.max(2, Math.min(40, slot * 0.7));
  const y = (v) => PAD.top + plotH - (Math.max(v, 0) / top) * plotH;
  const ticks = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(v);
  const shown = labelled(series.length, 8);
  return html`<svg class="dash-chart" viewBox=${`0 0 ${W} ${H}`} aria-hidden="true" focusable="false">
    ${ticks.map(
      (v) => html`<g key=${`t${v}`}>
        <line class="dash-grid" x1=${PAD.left} x2=${W - PAD.right} y1=${y(v)} y2=${y(v)} />
        <text class="dash-axis" x=${PAD.left - 8} y=${y(v) + 4} text-anchor="end">${money(v, currency)}</text>
      </g>`,
    )}
    ${series.map((s, i) => {
      const x = PAD.left + i * slot + (slot - barW) / 2;
      const value = s.net_sales.amount;
      return html`<g key=${s.first}>
        <rect class="dash-bar" x=${x} y=${y(value)} width=${barW} height=${Math.max(PAD.top + plotH - y(value), value > 0 ? 1 : 0)} rx="2">
          <title>${shortDay(s.first)}: ${money(value, currency)}, ${s.orders} orders</title>
        </rect>
        ${shown.has(i)
          ? html`<text class="dash-axis" x=${edgeX(i, series.length, x, barW)} y=${H - 12} text-anchor=${edgeAnchor(i, series.length)}>${shortDay(s.first)}</text>`
          : null}
      </g>`;
    })}
    ${highest === 0
      ? html`<text class="dash-chart-empty" x=${PAD.left + plotW / 2} y=${PAD.top + plotH / 2} text-anchor="middle">No sales in these days</text>`
      : null}
  </svg>`;
}

function FiguresTable({ report, visible }) {
  const { series, range } = report;
  // Shown, it scrolls: focusable and named so keyboard users can scroll it too.
  const scrolling = visible ? { tabindex: "0", role: "region", "aria-label": "Sales figures" } : {};
  return html`<div class=${visible ? "table-wrap dash-figures-table" : "visually-hidden"} ...${scrolling}>
    <table>
      <caption>Net sales per ${report.granularity}, ${longDay(range.first)} to ${longDay(range.last)}</caption>
      <thead><tr><th scope="col">${report.granularity === "day" ? "Day" : "From"}</th><th scope="col" class="num">Orders</th><th scope="col" class="num">Net sales</th></tr></thead>
      <tbody>
        ${series.map(
          (s) => html`<tr key=${s.first}>
            <th scope="row">${longDay(s.first)}</th>
            <td class="num">${number(s.orders)}</td>
            <td class="num">${money(s.net_sales.amount, s.net_sales.currency)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function RangePicker({ preset, onPreset, custom, onCustom }) {
  const [from, setFrom] = useState(custom.from || "");
  const [to, setTo] = useState(custom.to || "");
  return html`<div class="dash-range">
    <div class="dash-segmented" role="group" aria-label="Chart range">
      ${PRESETS.map(
        (p) => html`<button type="button" class="button button-small" aria-pressed=${preset === p.value ? "true" : "false"}
          onClick=${() => onPreset(p.value)}>${p.label}</button>`,
      )}
    </div>
    ${preset === "custom"
      ? html`<form class="dash-custom" onSubmit=${(e) => { e.preventDefault(); onCustom({ from, to }); }}>
          <div class="field"><label for="chart-from">First day</label><input id="chart-from" type="date" value=${from} max=${to || undefined} onInput=${(e) => setFrom(e.currentTarget.value)} /></div>
          <div class="field"><label for="chart-to">Last day</label><input id="chart-to" type="date" value=${to} min=${from || undefined} onInput=${(e) => setTo(e.currentTarget.value)} /></div>
          <${Button} type="submit" kind="secondary" disabled=${!from || !to}>Show<//>
        </form>`
      : null}
  </div>`;
}

export function SalesChart({ storeId }) {
  const [preset, setPreset] = useState("30d");
  const [custom, setCustom] = useState({ from: "", to: "" });
  const [tableShown, setTableShown] = useState(false);
  const report = useAsync(() => {
    if (preset === "custom" && (!custom.from || !custom.to)) return null;
    const query = preset === "custom"
      ? { from: custom.from, to: custom.to, granularity: granularityFor(custom.from, custom.to) }
      : { range: preset };
    return api("GET", `${storeApi(storeId)}/reports/sales`, { query });
  }, [storeId, preset, custom.from, custom.to]);
  const data = report.data;
  const currency = data ? data.range.currency : null;
  return html`<${Card} title="Net sales" class="dash-chart-card"
      actions=${html`<button type="button" class="button button-ghost button-small" aria-pressed=${tableShown ? "true" : "false"} onClick=${() => setTableShown(!tableShown)}>Show the figures</button>`}>
    <${RangePicker} preset=${preset} onPreset=${setPreset} custom=${custom} onCustom=${setCustom} />
    <${ErrorNotice} error=${report.error} />
    ${report.loading && !data
      ? html`<div class="dash-chart-placeholder"><${Loading} text="Loading sales…" /></div>`
      : null}
    ${preset === "custom" && !data && !report.loading ? html`<p class="muted">Pick the first and last day, then Show.</p>` : null}
    ${data
      ? html`<figure class=${`dash-figure${report.loading ? " dash-stale" : ""}`} aria-busy=${report.loading ? "true" : "false"}>
          <figcaption class="dash-chart-caption">
            <strong>${money(data.totals.net_sales.amount, currency)}</strong>
            ${` net sales from ${number(data.totals.orders)} ${data.totals.orders === 1 ? "order" : "orders"}, ${longDay(data.range.first)} – ${longDay(data.range.last)}`}
          </figcaption>
          <${Bars} series=${data.series} currency=${currency} />
          <${FiguresTable} report=${data} visible=${tableShown} />
        </figure>`
      : null}
  <//>`;
}
