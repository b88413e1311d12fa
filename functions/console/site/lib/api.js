// Every call the console makes goes through here: the documented public API, nothing else.
import { session } from "./session.js";

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || (body && body.message) || `The request failed (${status}).`);
    this.status = status;
    this.code = error.code || null;
    this.fields = Array.isArray(error.fields) ? error.fields : [];
    this.requestId = error.request_id || null;
    this.details = error.details || null;
  }

  // The API's message for one field, named by its whole path: "price" finds "price" and what is inside it
  // ("price.amount"), never "variants.0.price" (a variant's price error belongs under that variant's field).
  fieldMessage(path) {
    const found = this.fields.find((f) => f.field === path || String(f.field).startsWith(`${path}.`));
    return found ? found.message : null;
  }
}

export class SessionExpired extends Error {}

function urlOf(path, query) {
  if (!query) return path;
  const kept = Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== "");
  if (!kept.length) return path;
  const params = new URLSearchParams();
  for (const [key, value] of kept) {
    if (Array.isArray(value)) value.forEach((v) => params.append(key, v));
    else params.append(key, String(value));
  }
  return `${path}?${params}`;
}

async function send(method, url, options) {
  const headers = { ...(options.headers || {}) };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  let body;
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  return fetch(url, { method, headers, body, credentials: "same-origin" });
}

// api("GET", "/admin/stores", { query, body, headers }) -> parsed JSON (null for 204); throws ApiError.
// A 401 refreshes the session once and repeats the request; if that fails the session has expired.
export async function api(method, path, options = {}) {
  const url = urlOf(path, options.query);
  let response = await send(method, url, options);
  if (response.status === 401) {
    if (!(await session.refresh())) {
      session.expire();
      throw new SessionExpired("Your session has ended. Log in again to go on.");
    }
    response = await send(method, url, options);
  }
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

// A fresh Idempotency-Key for one user intention (kept by the form so a retried click is the same request).
export function idempotencyKey() {
  return crypto.randomUUID();
}
