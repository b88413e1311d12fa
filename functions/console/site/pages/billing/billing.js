// The operator's own plan and what it allows (GET /billing: the caller's account) beside the plans on sale
// (GET /plans). The owner subscribes through Stripe Checkout (POST /billing/checkout) and manages the card,
// invoices and cancellation in Stripe's Customer Portal (POST /billing/portal); both answer a URL to go to.
import { html, useState } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { date, label, money, number } from "../../lib/format.js";
import { Alert, Badge, Button, Card, ErrorNotice, Loading, PageHeader, useAsync } from "../../lib/ui.js";

const LIMITS = {
  stores: "Stores",
  products_per_store: "Products",
  staff_seats: "Staff seats",
  webhook_endpoints: "Webhook endpoints",
  ai_imports_per_month: "AI imports a month",
  ai_tokens_per_month: "AI tokens a month",
};

// Epoch seconds from the API -> a date people read.
function day(seconds) {
  return seconds ? date(new Date(seconds * 1000).toISOString()) : "–";
}

function percent(basisPoints) {
  return `${number(basisPoints / 100)} %`;
}

function Plan({ billing }) {
  const { plan, status } = billing;
  return html`<${Card} title="Your plan">
    <dl class="bl-facts">
      <dt>Plan</dt><dd><strong>${plan.name}</strong></dd>
      <dt>Status</dt><dd><${Badge} value=${status} /></dd>
      ${status === "trialing"
        ? html`<dt>Trial ends</dt><dd>${billing.trial_ends_at ? day(billing.trial_ends_at) : "When you open your next store, a 14-day trial starts"}</dd>`
        : null}
      ${billing.grace_ends_at ? html`<dt>Restricted from</dt><dd>${day(billing.grace_ends_at)}</dd>` : null}
      ${billing.current_period
        ? html`<dt>Current period</dt><dd>${day(billing.current_period.start)} – ${day(billing.current_period.end)}</dd>`
        : null}
      <dt>Price</dt><dd>${money(plan.prices.month.amount, plan.prices.month.currency)} a month, or ${money(plan.prices.year.amount, plan.prices.year.currency)} a year</dd>
      <dt>Platform fee</dt><dd>${percent(plan.features.platform_fee_basis_points)} of each card payment</dd>
    </dl>
    ${status === "restricted" || status === "cancelled"
      ? html`<p class="field-error">New stores, products, staff and webhook endpoints are refused until the account is paid.</p>`
      : null}
  <//>`;
}

function Meter({ used, maximum }) {
  if (used === null) return html`<span class="muted">Not counted yet</span>`;
  const full = used >= maximum;
  return html`<span class=${`bl-used${full ? " bl-full" : ""}`}>${number(used)} of ${number(maximum)}</span>
    <progress class="bl-meter" max=${maximum} value=${Math.min(used, maximum)} aria-label=${`${number(used)} of ${number(maximum)}`}></progress>`;
}

function Usage({ usage }) {
  return html`<${Card} title="Usage">
    <div class="table-wrap table-plain" tabindex="0" role="region" aria-label="Usage figures">
      <table>
        <caption class="visually-hidden">Usage against the plan's limits</caption>
        <thead><tr><th scope="col">Limit</th><th scope="col">Where</th><th scope="col">Used</th></tr></thead>
        <tbody>
          ${usage.map(
            (u) => html`<tr key=${`${u.limit}:${u.store || ""}`}>
              <td>${LIMITS[u.limit] || label(u.limit)}</td>
              <td>${u.store || html`<span class="muted">Whole account</span>`}</td>
              <td><${Meter} used=${u.used} maximum=${u.maximum} /></td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
  <//>`;
}

// Stripe's page is where the owner goes next; the console keeps nothing of the session.
function useRedirect() {
  const [state, setState] = useState({ busy: null, error: null });
  const go = async (key, path, body) => {
    setState({ busy: key, error: null });
    try {
      const answer = await api("POST", path, body === undefined ? {} : { body });
      window.location.assign(answer.url);
    } catch (error) {
      setState({ busy: null, error });
    }
  };
  return [state, go];
}

// One card per plan, side by side on a laptop and stacked on a phone (a comparison table would not fit 360 px).
function Plans({ plans, current, subscribed, redirect }) {
  const [state, go] = redirect;
  return html`<${Card} title="Plans">
    <ul class="bl-plan-list" aria-label="Plans on sale">
      ${plans.map(
        (p) => html`<li key=${p.code} class=${`bl-plan${p.code === current ? " bl-plan-current" : ""}`}>
          <h3>${p.name}${p.code === current ? html` <span class="bl-current">Your plan</span>` : null}</h3>
          <p class="bl-price">${money(p.prices.month.amount, p.prices.month.currency)} <span class="muted">a month</span></p>
          <p class="muted">or ${money(p.prices.year.amount, p.prices.year.currency)} a year${p.trial_days ? `, ${p.trial_days} days free to try` : ""}</p>
          <dl class="bl-facts">
            ${Object.entries(LIMITS).map(([key, name]) => html`<dt>${name}</dt><dd>${number(p.limits[key])}</dd>`)}
            <dt>Custom domain</dt><dd>${p.features.custom_domain ? "Yes" : "No"}</dd>
            <dt>Platform fee</dt><dd>${percent(p.features.platform_fee_basis_points)}</dd>
          </dl>
          ${subscribed
            ? null
            : html`<div class="bl-choose">
                ${["month", "year"].map(
                  (interval) => html`<${Button}
                    kind=${interval === "month" ? "primary" : "secondary"}
                    busy=${state.busy === `${p.code}:${interval}`}
                    disabled=${state.busy !== null}
                    onClick=${() => go(`${p.code}:${interval}`, "/billing/checkout", { plan: p.code, interval })}
                    aria-label=${`Subscribe to ${p.name}, billed every ${interval}`}
                  >${interval === "month" ? "Monthly" : "Yearly"}<//>`,
                )}
              </div>`}
        </li>`,
      )}
    </ul>
    <${ErrorNotice} error=${state.error} />
    <p class="hint">Products, staff seats and webhook endpoints are counted per store. A store that is full refuses new ones until some are deleted or the plan grows.</p>
  <//>`;
}

function BillingView({ query = {} }) {
  const found = useAsync(() => Promise.all([api("GET", "/billing"), api("GET", "/plans")]), []);
  const [billing, plans] = found.data || [];
  const redirect = useRedirect();
  const [state, go] = redirect;
  // A subscription changes plan in the portal (a second checkout would bill twice); a trial has no Stripe
  // customer yet, so the portal has nothing to show it.
  const subscribed = billing && ["active", "past_due"].includes(billing.status);
  const hasCustomer = billing && billing.status !== "trialing";
  return html`<${PageHeader} title="Plan and billing" subtitle="Your account's plan covers every store you own.">
      <a class="button button-secondary" href="#/">Your stores</a>
      ${hasCustomer
        ? html`<${Button} kind="secondary" busy=${state.busy === "portal"} disabled=${state.busy !== null}
            onClick=${() => go("portal", "/billing/portal")}>Card, invoices and cancellation<//>`
        : null}
    <//>
    ${query.checkout === "done"
      ? html`<${Alert} kind="success">Thank you: Stripe confirms the subscription in a moment, and this page shows it once it has.<//>`
      : query.checkout === "cancelled"
        ? html`<${Alert}>Checkout was cancelled; nothing was charged.<//>`
        : null}
    <${ErrorNotice} error=${found.error} />
    ${found.loading && !found.data ? html`<${Loading} text="Loading your plan…" />` : null}
    ${billing
      ? html`<div class="split bl-split">
          <${Usage} usage=${billing.usage} />
          <${Plan} billing=${billing} />
        </div>
        <${Plans} plans=${plans.items} current=${billing.plan.code} subscribed=${subscribed} redirect=${redirect} />`
      : null}`;
}

export const routes = [{ path: "/billing", view: BillingView, title: "Plan and billing" }];
