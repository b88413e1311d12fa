// A category's banner or a brand's logo: the current one, a new one straight to S3 with progress, removal.
import { html, useRef, useState } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { Button, Confirm, ErrorNotice, Progress, toast } from "../../lib/ui.js";
import { IMAGE_TYPES, uploadFile } from "./uploads.js";

// what: "banner" or "logo"; path: the owner's image route (.../categories/{slug}/image, .../brands/{slug}/logo);
// image: the admin answer's ImageOut or null; onChanged: read the owner again.
export function OwnerImage({ what, path, name, image, alt, canWrite, onChanged }) {
  const [stage, setStage] = useState(null);
  const [percent, setPercent] = useState(0);
  const [error, setError] = useState(null);
  const [removing, setRemoving] = useState(false);
  const [busy, setBusy] = useState(false);
  const picker = useRef(null);
  const label = `${what[0].toUpperCase()}${what.slice(1)} of ${name}`;

  const send = async (file) => {
    setError(null);
    setStage("starting");
    try {
      await uploadFile(`${path}/uploads`, file, (next, p) => {
        setStage(next);
        setPercent(p);
      }, alt);
      toast(`${label} uploaded`);
      onChanged();
    } catch (problem) {
      setError(problem);
    } finally {
      setStage(null);
    }
  };
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api("DELETE", path);
      toast(`${label} removed`);
      onChanged();
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
      setRemoving(false);
    }
  };

  return html`<div class=${`owner-image owner-image-${what}`}>
    <div class="owner-image-frame">
      ${image ? html`<img src=${image.url} alt=${label} />` : html`<span class="muted">No ${what} yet</span>`}
    </div>
    ${error ? html`<${ErrorNotice} error=${error} />` : null}
    ${stage === "sending" ? html`<${Progress} value=${percent} text=${`Uploading ${percent}%`} />` : null}
    ${stage === "checking" ? html`<${Progress} value=${100} text="Checking the image…" />` : null}
    ${canWrite
      ? html`<div class="row owner-image-actions">
          <${Button} kind="secondary" busy=${!!stage} onClick=${() => picker.current.click()}>${image ? `Replace ${what}…` : `Upload ${what}…`}<//>
          <input ref=${picker} class="visually-hidden" type="file" accept=${IMAGE_TYPES.join(",")} tabindex="-1"
            aria-label=${`Upload the ${what} of ${name}`} onChange=${(e) => {
              const [file] = e.currentTarget.files;
              e.currentTarget.value = "";
              if (file) send(file);
            }} />
          ${image ? html`<${Button} kind="ghost" onClick=${() => setRemoving(true)} aria-label=${`Remove the ${what} of ${name}`}>Remove<//>` : null}
        </div>`
      : null}
    <${Confirm} open=${removing} title=${`Remove the ${what} of ${name}?`} confirmLabel=${`Remove ${what}`} busy=${busy}
      onConfirm=${remove} onCancel=${() => setRemoving(false)}>
      <p>The shop stops showing it. You can upload a new one at any time.</p>
    <//>
  </div>`;
}
