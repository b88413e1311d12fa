// Which kinds of notification the operator gets in this store (every kind unless turned off); their own only.
import { html, useEffect, useState } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { label } from "../../lib/format.js";
import { href } from "../../lib/router.js";
import { storeApi, useStore } from "../../lib/store.js";
import { Button, ErrorNotice, Loading, PageHeader, toast, useAsync } from "../../lib/ui.js";

export function Preferences() {
  const { store, base } = useStore();
  const path = `${storeApi(store.id)}/notification-preferences`;
  const loaded = useAsync(() => api("GET", path), [store.id]);
  const [enabled, setEnabled] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  useEffect(() => loaded.data && setEnabled(new Set(loaded.data.enabled)), [loaded.data]);
  if (!loaded.data || !enabled) return html`<${PageHeader} title="Notification preferences" /><${ErrorNotice} error=${loaded.error} />${loaded.loading ? html`<${Loading} />` : null}`;
  const save = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const muted = loaded.data.kinds.filter((k) => !enabled.has(k));
      const saved = await api("PUT", path, { body: { muted } });
      setEnabled(new Set(saved.enabled));
      toast("Preferences saved");
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };
  const toggle = (kind) => {
    const next = new Set(enabled);
    if (next.has(kind)) next.delete(kind);
    else next.add(kind);
    setEnabled(next);
  };
  return html`<${PageHeader} title="Notification preferences" subtitle="What reaches your own inbox in this store." />
    <form class="card nf-preferences" onSubmit=${save}>
      <fieldset>
        <legend>Notify me of</legend>
        ${loaded.data.kinds.map((kind) => html`<label class="checkbox">
          <input type="checkbox" name=${kind} checked=${enabled.has(kind)} onChange=${() => toggle(kind)} /> ${label(kind)}
        </label>`)}
      </fieldset>
      <${ErrorNotice} error=${error} />
      <div class="form-actions">
        <${Button} type="submit" busy=${busy}>Save preferences<//>
        <a href=${href(`${base}/notifications`)}>Back to notifications</a>
      </div>
    </form>`;
}
