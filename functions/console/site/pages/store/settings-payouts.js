// Payouts (read-only here): where card payments are paid out, with the provider links to set them up.
import { html, useState } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { dateTime } from "../../lib/format.js";
import { storeApi } from "../../lib/store.js";
import { Alert, Badge, Button, Card, ErrorNotice, Loading, useAsync } from "../../lib/ui.js";

function payoutsApi(storeId) {
  return `${storeApi(storeId)}/settings/payouts`;
}

// Leaving the console for the provider's page: busy until the browser goes, the API's message if it fails.
function useLeave() {
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const leave = async (which, getUrl) => {
    setBusy(which);
    setError(null);
    try {
      window.location.assign(await getUrl());
    } catch (problem) {
      setError(problem);
      setBusy(null);
    }
  };
  return { busy, error, leave, setError };
}

export function PayoutsSettings({ storeId }) {
  const found = useAsync(() => api("GET", payoutsApi(storeId)), [storeId]);
  const go = useLeave();
  const p = found.data;
  const back = `${window.location.origin}${window.location.pathname}${window.location.hash}`;
  const stripe = p ? p.accounts.find((a) => a.provider === "stripe") : null;
  return html`<${Card} title="Payouts">
    <${ErrorNotice} error=${found.error || go.error} />
    ${found.loading && !p ? html`<${Loading} />` : null}
    ${p
      ? html`<${Alert} kind=${p.card_payments.ready ? "success" : "warning"}>
            <strong>${p.card_payments.ready ? "Card payments are on." : "Card payments are off."}</strong> ${p.card_payments.reason}
          <//>
          <div class="grid">
            <section>
              <h3>Stripe</h3>
              <p>Status: <${Badge} value=${stripe ? stripe.state : "not_started"} tone=${stripe && stripe.state === "ready" ? "good" : "warn"} /></p>
              ${stripe && stripe.account_id ? html`<p class="muted">Account ${stripe.account_id} · fee ${(stripe.fee_basis_points / 100).toLocaleString()} %</p>` : null}
              ${stripe && stripe.reason !== p.card_payments.reason ? html`<p class="hint">${stripe.reason}</p>` : null}
              ${!stripe || stripe.state !== "ready"
                ? html`<${Button} busy=${go.busy === "stripe"} onClick=${() => go.leave("stripe", async () =>
                    (await api("POST", `${payoutsApi(storeId)}/stripe/onboarding`, { body: { return_url: back, refresh_url: back } })).url)}>
                    ${stripe && stripe.state !== "not_started" ? "Continue Stripe onboarding" : "Set up Stripe payouts"}<//>`
                : null}
            </section>
            <section>
              <h3>Square</h3>
              <p>Status: <${Badge} value=${p.square.connected ? "connected" : "not connected"} tone=${p.square.connected ? "good" : "neutral"} /></p>
              ${p.square.connected
                ? html`<p class="muted">Seller ${p.square.merchant_id} · location ${p.square.location_id || "–"}</p>
                    ${p.square.token_expires_at ? html`<p class="hint">Access renews before ${dateTime(p.square.token_expires_at * 1000)}.</p>` : null}
                    <${Button} kind="secondary" busy=${go.busy === "square-off"} onClick=${async () => {
                      go.setError(null);
                      try {
                        await api("DELETE", `${payoutsApi(storeId)}/square`);
                        found.reload();
                      } catch (problem) {
                        go.setError(problem);
                      }
                    }}>Disconnect Square<//>`
                : html`<${Button} kind="secondary" busy=${go.busy === "square"} onClick=${() => go.leave("square", async () =>
                    (await api("GET", `${payoutsApi(storeId)}/square/authorize`)).url)}>Connect Square<//>`}
            </section>
          </div>
          <p class="hint">Bank details stay with the provider: Nozzly never sees them.</p>`
      : null}
  <//>`;
}
