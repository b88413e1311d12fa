// The store's dashboard (GET /admin/stores/{store}/dashboard): money, pipeline, attention, people, activity.
import { html, useState } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { useLiveMessages, useLiveReload } from "../../lib/live.js";
import { date } from "../../lib/format.js";
import { storeApi, useStore } from "../../lib/store.js";
import { Button, Card, ErrorNotice, Loading, PageHeader, useAsync } from "../../lib/ui.js";
import { Attention, Pipeline } from "./pipeline.js";
import { Activity, Customers, TopSellers } from "./lists.js";
import { Revenue } from "./revenue.js";
import { SalesChart } from "./sales-chart.js";

function NoRevenue() {
  return html`<${Card} class="dash-no-revenue">
    <p class="empty-title">Your role does not include revenue</p>
    <p class="muted">Sales figures, top sellers and the sales chart are for the store's owner and admins.</p>
  <//>`;
}

const COUNTERS = "DashboardCounters";

// The figures pushed after the sales aggregates changed (to operators who may see revenue) replace the revenue
// cards and the pipeline of a read that started before they arrived: such a read may predate them.
function withPushed(d, pushed) {
  if (!d || !pushed || pushed.store !== d.store_id || pushed.arrived < d.requested) return d;
  return { ...d, revenue: d.revenue ? pushed.data.revenue : d.revenue, pipeline: pushed.data.pipeline };
}

export function Dashboard() {
  const { store, base } = useStore();
  const found = useAsync(() => {
    const requested = Date.now();
    return api("GET", `${storeApi(store.id)}/dashboard`).then((body) => ({ ...body, requested }));
  }, [store.id]);
  const [pushed, setPushed] = useState(null);
  useLiveMessages((message) => {
    if (message.type === COUNTERS) setPushed({ ...message, arrived: Date.now() });
  });
  // Other events change the lists (attention, activity): read again. The counters are read again later only
  // when no push brings them (staff, or a push lost): the fallback.
  useLiveReload((message) => message.type !== COUNTERS, found.reload, {
    settle: [4000, 12000],
    settledBy: (message) => message.type === COUNTERS,
  });
  const d = withPushed(found.data, pushed);
  return html`<${PageHeader} title="Dashboard" subtitle=${d ? `${store.name} · ${date(`${d.today}T12:00:00`)} · ${d.timezone}` : store.name}>
      <${Button} kind="secondary" busy=${found.loading && !!d} onClick=${found.reload}>Refresh<//>
    <//>
    <${ErrorNotice} error=${found.error} />
    ${found.loading && !d ? html`<${Loading} text="Loading the dashboard…" />` : null}
    ${d
      ? html`${d.revenue ? html`<${Revenue} revenue=${d.revenue} />` : html`<${NoRevenue} />`}
          <div class="split dash-split">
            <div class="dash-main">
              ${d.revenue ? html`<${SalesChart} storeId=${store.id} />` : null}
              <${Attention} base=${base} attention=${d.attention} />
              ${d.top_sellers ? html`<${TopSellers} base=${base} top=${d.top_sellers} />` : null}
            </div>
            <div class="dash-side">
              <${Pipeline} base=${base} pipeline=${d.pipeline} />
              <${Customers} customers=${d.customers} />
              <${Activity} base=${base} items=${d.recent_activity} />
            </div>
          </div>`
      : null}`;
}
