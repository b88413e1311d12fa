// The operator's session. The access token lives only in this module's memory; the refresh token is an
// HttpOnly cookie the API sets (login with session "cookie") and reads (/auth/refresh), so no script sees it.
let accessToken = null;
let refreshing = null;
const listeners = new Set();

function notify(reason) {
  for (const listener of listeners) listener(reason);
}

async function post(path, body, token) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(path, { method: "POST", headers, body: JSON.stringify(body ?? {}), credentials: "same-origin" });
}

export const session = {
  get token() {
    return accessToken;
  },
  get signedIn() {
    return accessToken !== null;
  },
  subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  // Resolves to the login's JSON body; throws the response for the caller to show the API's message.
  async login(email, password) {
    const response = await post("/auth/login", { email, password, session: "cookie" });
    const body = await response.json().catch(() => null);
    if (!response.ok) throw { status: response.status, body };
    accessToken = body.access_token;
    notify("login");
    return body;
  },
  // One refresh at a time: parallel requests that all met a 401 wait for the same answer.
  refresh() {
    if (!refreshing) {
      refreshing = post("/auth/refresh", {})
        .then(async (response) => {
          // A refused refresh leaves the token as it was: expire() ends the session and tells the app.
          if (!response.ok) return false;
          accessToken = (await response.json()).access_token;
          return true;
        })
        .catch(() => false)
        .finally(() => {
          refreshing = null;
        });
    }
    return refreshing;
  },
  expire() {
    if (accessToken === null) return;
    accessToken = null;
    notify("expired");
  },
  async logout() {
    const token = accessToken;
    accessToken = null;
    if (token) await post("/auth/logout", {}, token).catch(() => null);
    notify("logout");
  },
};
