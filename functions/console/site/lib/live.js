// Live updates from the WebSocket API: one connection for the open store, joined to its operators' room and to
// the operator's own room in it (their notifications).
// API Gateway checks the token only when the socket opens and closes idle sockets after 10 minutes, so the
// socket pings and, once closed, reopens with the session's current token after a growing pause.
import { useEffect, useRef, useState } from "../vendor/preact-htm.js";
import { api } from "./api.js";
import { session } from "./session.js";

const URL_OF_STACK = document.querySelector('meta[name="nozzly-live"]')?.content || "";
const PING_EVERY_MS = 5 * 60 * 1000;
const MAX_PAUSE_MS = 30 * 1000;

const listeners = new Set();
const statusListeners = new Set();
let state = { storeId: null, socket: null, status: "off", failures: 0, timer: null, ping: null };

function setStatus(status) {
  state.status = status;
  for (const listener of statusListeners) listener(status);
}

function deliver(message) {
  for (const listener of listeners) listener(message);
}

function schedule(storeId) {
  const pause = Math.min(MAX_PAUSE_MS, 1000 * 2 ** state.failures);
  state.failures += 1;
  state.timer = setTimeout(() => open(storeId), pause);
}

async function open(storeId) {
  if (state.storeId !== storeId || !URL_OF_STACK.startsWith("ws")) return;
  if (!session.token && !(await session.refresh())) return setStatus("off");
  const socket = new WebSocket(`${URL_OF_STACK}?token=${encodeURIComponent(session.token)}`);
  state.socket = socket;
  setStatus("connecting");
  socket.onopen = async () => {
    socket.send(JSON.stringify({ action: "subscribe", room: `store:${storeId}:operators` }));
    const me = await api("GET", "/me").catch(() => null);
    if (me && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ action: "subscribe", room: `operator:${storeId}:${me.id}` }));
    }
    state.ping = setInterval(() => socket.send(JSON.stringify({ action: "ping" })), PING_EVERY_MS);
  };
  socket.onmessage = (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    if (message.type === "subscribed") {
      state.failures = 0;
      setStatus("live");
    } else if (message.store === storeId) deliver(message);
  };
  socket.onclose = () => {
    clearInterval(state.ping);
    if (state.socket !== socket) return;
    state.socket = null;
    setStatus("reconnecting");
    schedule(storeId);
  };
}

function follow(storeId) {
  if (state.storeId === storeId) return;
  clearTimeout(state.timer);
  clearInterval(state.ping);
  const previous = state.socket;
  state = { storeId, socket: null, status: "off", failures: 0, timer: null, ping: null };
  previous?.close();
  if (storeId) open(storeId);
}

session.subscribe((reason) => {
  if (reason !== "login") follow(null);
});

// The store's live connection, opened while any view of the store is shown; answers "off", "connecting",
// "live" or "reconnecting".
export function useLiveStore(storeId) {
  const [status, setLocal] = useState(state.status);
  useEffect(() => {
    follow(storeId);
    statusListeners.add(setLocal);
    setLocal(state.status);
    return () => statusListeners.delete(setLocal);
  }, [storeId]);
  return status;
}

// Calls `reload` once for a burst of events the view cares about (`wanted(message)`), at most every 0.75 s.
// `settle`: read again this many ms after the last such event, for figures written from the same change by
// another consumer that may finish after the event arrives (the dashboard's counters come from the orders
// table's stream, not from the event); `settledBy(message)`: a message that brings those figures itself
// (DashboardCounters), which makes the later reads unnecessary.
export function useLiveReload(wanted, reload, { settle = [], settledBy = () => false } = {}) {
  const latest = useRef({ wanted, reload, settledBy });
  latest.current = { wanted, reload, settledBy };
  useEffect(() => {
    let timer = null;
    let later = [];
    const listener = (message) => {
      if (latest.current.settledBy(message)) {
        later.forEach(clearTimeout);
        later = [];
      }
      if (!latest.current.wanted(message)) return;
      later.forEach(clearTimeout);
      later = settle.map((ms) => setTimeout(() => latest.current.reload(), ms));
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        latest.current.reload();
      }, 750);
    };
    listeners.add(listener);
    return () => {
      clearTimeout(timer);
      later.forEach(clearTimeout);
      listeners.delete(listener);
    };
  }, []);
}

// Every message for the open store, as it arrives (for a view that shows the events themselves).
export function useLiveMessages(onMessage) {
  const latest = useRef(onMessage);
  latest.current = onMessage;
  useEffect(() => {
    const listener = (message) => latest.current(message);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
}

// Messages about orders (placed, paid, shipped, delivered, cancelled, refunded, status changed).
export function aboutOrders(message) {
  return /^(order|payment|shipment|refund)/i.test(String(message.type || ""));
}

export function aboutOrder(orderId) {
  return (message) => aboutOrders(message) && message.data?.order_id === orderId;
}
