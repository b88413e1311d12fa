// A file's way to S3 and back: presigned POST with progress, then the processor's verdict.
import { api } from "../../lib/api.js";
import { productApi } from "./catalog.js";

export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"];

// XMLHttpRequest, not fetch: only its upload.onprogress reports how much of the file has gone.
function postForm(url, fields, file, onProgress) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append("file", file);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(Math.round((event.loaded / event.total) * 100));
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300
        ? resolve()
        : reject(new Error(`The image store refused the file (${xhr.status}). Try again; if it keeps failing, try a smaller file.`));
    xhr.onerror = () => reject(new Error("The upload was interrupted. Check the connection and try again."));
    xhr.send(form);
  });
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Resolves to the accepted upload ({image}); throws an Error with the processor's reason when rejected.
// onStage(stage, percent): "sending" with progress, then "checking" while the processor looks at it.
// uploadsPath: the owner's ".../uploads" route (a product's images, a category's banner, a brand's logo).
export async function uploadFile(uploadsPath, file, onStage, alt = "") {
  if (!IMAGE_TYPES.includes(file.type)) {
    throw new Error(`${file.name} is not a PNG, JPEG, WebP or GIF image.`);
  }
  const started = await api("POST", uploadsPath, { body: { content_type: file.type, alt } });
  if (file.size > started.max_bytes) {
    throw new Error(`${file.name} is ${Math.ceil(file.size / 1048576)} MB; images can be at most ${Math.floor(started.max_bytes / 1048576)} MB.`);
  }
  onStage("sending", 0);
  await postForm(started.url, started.fields, file, (percent) => onStage("sending", percent));
  onStage("checking", 100);
  const deadline = Date.now() + 60_000;
  for (let delay = 500; Date.now() < deadline; delay = Math.min(delay * 1.5, 3000)) {
    const status = await api("GET", started.status_url);
    if (status.status === "accepted") return status;
    if (status.status === "rejected") throw new Error(`${file.name} was not accepted: ${status.reason}`);
    await wait(delay);
  }
  throw new Error(`${file.name} is still being checked. Reload the page in a minute to see it.`);
}

export function uploadImage(storeId, slug, file, onStage) {
  return uploadFile(`${productApi(storeId, slug)}/images/uploads`, file, onStage);
}
