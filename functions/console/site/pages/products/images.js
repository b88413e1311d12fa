// A product's images: drop or pick files (straight to S3), follow each one's check, arrange, alt text, delete.
import { html, useEffect, useRef, useState } from "../../vendor/preact-htm.js";
import { api } from "../../lib/api.js";
import { Button, Card, Confirm, Empty, ErrorNotice, Loading, Progress, toast } from "../../lib/ui.js";
import { imageRef, productApi } from "./catalog.js";
import { IMAGE_TYPES, uploadImage } from "./uploads.js";

// The admin answer carries each image's URL; the image routes name images by imageRef (imports' older images
// have no id of their own).
async function loadImages(product) {
  return Promise.all(product.images.map(async (i) => ({ id: await imageRef(i), alt: i.alt, url: i.url })));
}

function UploadRow({ item, onDismiss }) {
  return html`<li class=${`upload upload-${item.stage}`}>
    <span class="upload-name">${item.name}</span>
    ${item.stage === "sending" ? html`<${Progress} value=${item.percent} text=${`Uploading ${item.percent}%`} />` : null}
    ${item.stage === "checking" ? html`<${Progress} value=${100} text="Checking the image…" />` : null}
    ${item.stage === "failed"
      ? html`<p class="field-error" role="alert">${item.error}</p>
          <${Button} kind="ghost" onClick=${() => onDismiss(item.key)} aria-label=${`Dismiss the message about ${item.name}`}>Dismiss<//>`
      : null}
  </li>`;
}

function ImageItem({ image, index, count, canWrite, onMove, onAlt, onDelete, dragging }) {
  const [alt, setAlt] = useState(image.alt);
  const [saving, setSaving] = useState(false);
  useEffect(() => setAlt(image.alt), [image.alt]);
  const altId = `alt-${image.id}`;
  const save = async (event) => {
    event.preventDefault();
    setSaving(true);
    await onAlt(image.id, alt);
    setSaving(false);
  };
  return html`<li class="image-item" draggable=${canWrite ? "true" : "false"}
      onDragStart=${(e) => {
        dragging.current = index;
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", String(index));
      }}
      onDragOver=${(e) => dragging.current !== null && e.preventDefault()}
      onDrop=${(e) => {
        if (dragging.current === null) return;
        e.preventDefault();
        e.stopPropagation();
        const from = dragging.current;
        dragging.current = null;
        if (from !== index) onMove(from, index);
      }}>
    <div class="image-frame">
      <img src=${image.url} alt=${image.alt} loading="lazy" />
      ${index === 0 ? html`<span class="badge badge-neutral image-main">Main image</span>` : null}
    </div>
    ${canWrite
      ? html`<form class="image-alt" onSubmit=${save}>
          <label for=${altId}>Alt text of image ${index + 1}</label>
          <div class="image-alt-row">
            <input id=${altId} value=${alt} maxlength="250" onInput=${(e) => setAlt(e.currentTarget.value)} />
            <${Button} type="submit" kind="secondary" busy=${saving} disabled=${alt === image.alt}>Save<//>
          </div>
        </form>
        <div class="image-actions">
          <${Button} kind="ghost" aria-label=${`Move image ${index + 1} up`} disabled=${index === 0} onClick=${() => onMove(index, index - 1)}>↑ Up<//>
          <${Button} kind="ghost" aria-label=${`Move image ${index + 1} down`} disabled=${index === count - 1} onClick=${() => onMove(index, index + 1)}>↓ Down<//>
          <${Button} kind="ghost" aria-label=${`Delete image ${index + 1}`} onClick=${() => onDelete(image)}>Delete<//>
        </div>`
      : html`<p class="hint">${image.alt || "No alt text"}</p>`}
  </li>`;
}

export function ImagesCard({ product, storeId, canWrite, onChanged }) {
  const [images, setImages] = useState(null);
  const [error, setError] = useState(null);
  const [uploads, setUploads] = useState([]);
  const [over, setOver] = useState(false);
  const [deleting, setDeleting] = useState(null);
  const [busy, setBusy] = useState(false);
  const picker = useRef(null);
  const dragging = useRef(null);
  const base = `${productApi(storeId, product.slug)}/images`;

  useEffect(() => {
    loadImages(product).then(setImages, setError);
  }, [storeId, product.slug]);

  // The product's version moved with every image change: the editor reads it again so its next save applies.
  const refreshProduct = () => api("GET", productApi(storeId, product.slug)).then(onChanged, () => null);

  const arrange = async (list, alts = {}) => {
    setError(null);
    try {
      const answer = await api("PATCH", base, { body: { images: list.map((i) => (i.id in alts ? { id: i.id, alt: alts[i.id] } : { id: i.id })) } });
      setImages(answer.items);
      refreshProduct();
      return true;
    } catch (problem) {
      setError(problem);
      return false;
    }
  };
  const move = (from, to) => {
    const list = [...images];
    const [moved] = list.splice(from, 1);
    list.splice(to, 0, moved);
    setImages(list);
    arrange(list).then((ok) => ok && toast(`Image moved to position ${to + 1}`));
  };
  const saveAlt = async (id, alt) => {
    if (await arrange(images, { [id]: alt })) toast("Alt text saved");
  };
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api("DELETE", `${base}/${encodeURIComponent(deleting.id)}`);
      setImages(images.filter((i) => i.id !== deleting.id));
      toast("Image deleted");
      refreshProduct();
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
      setDeleting(null);
    }
  };

  const send = (files) => {
    for (const file of files) {
      const item = { key: `${file.name}-${Date.now()}-${Math.random()}`, name: file.name, stage: "starting", percent: 0, error: null };
      const update = (changes) => setUploads((list) => list.map((u) => (u.key === item.key ? { ...u, ...changes } : u)));
      setUploads((list) => [...list, item]);
      uploadImage(storeId, product.slug, file, (stage, percent) => update({ stage, percent })).then(
        (done) => {
          setUploads((list) => list.filter((u) => u.key !== item.key));
          setImages((list) => [...(list || []), done.image]);
          toast(`${file.name} added`);
          refreshProduct();
        },
        (problem) => update({ stage: "failed", error: problem.message }),
      );
    }
  };

  const dropZone = canWrite
    ? html`<div class=${`drop-zone${over ? " over" : ""}`}
        onDragOver=${(e) => {
          if (dragging.current !== null) return;
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave=${() => setOver(false)}
        onDrop=${(e) => {
          if (dragging.current !== null) return;
          e.preventDefault();
          setOver(false);
          send([...e.dataTransfer.files]);
        }}>
        <p><strong>Drop images here</strong> or</p>
        <${Button} kind="secondary" onClick=${() => picker.current.click()}>Choose images…<//>
        <input ref=${picker} class="visually-hidden" type="file" multiple accept=${IMAGE_TYPES.join(",")} tabindex="-1"
          aria-label="Add images" onChange=${(e) => {
            send([...e.currentTarget.files]);
            e.currentTarget.value = "";
          }} />
        <p class="hint">PNG, JPEG, WebP or GIF. The first image is the one shoppers see first.</p>
      </div>`
    : null;

  return html`<${Card} title="Images">
    <${ErrorNotice} error=${error} />
    ${images === null && !error ? html`<${Loading} text="Loading images…" />` : null}
    ${images && !images.length && !uploads.length ? html`<${Empty} title="No images yet." />` : null}
    ${images && images.length
      ? html`<ol class="image-list" aria-label="Images, first shown first">
          ${images.map((image, index) => html`<${ImageItem} key=${image.id} image=${image} index=${index} count=${images.length}
            canWrite=${canWrite} onMove=${move} onAlt=${saveAlt} onDelete=${setDeleting} dragging=${dragging} />`)}
        </ol>`
      : null}
    ${uploads.length ? html`<ul class="upload-list" aria-label="Uploads" aria-live="polite">${uploads.map((u) => html`<${UploadRow} key=${u.key} item=${u} onDismiss=${(key) => setUploads((list) => list.filter((x) => x.key !== key))} />`)}</ul>` : null}
    ${dropZone}
    <${Confirm} open=${!!deleting} title="Delete this image?" confirmLabel="Delete image" busy=${busy}
      onConfirm=${remove} onCancel=${() => setDeleting(null)}>
      <p>It disappears from the shop. To show it again you upload it again.</p>
    <//>
  <//>`;
}
