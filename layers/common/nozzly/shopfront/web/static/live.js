// Progressive: pages work without this file. It follows the page's live channels over the WebSocket API:
// an order's status (its order page, by the order's tracking token) and the cart badge (the signed-in shopper's
// own room, by a short-lived pass). Each channel is an element with data-live (the socket URL), data-room and
// data-token. No socket (blocked, offline, no API): nothing happens and the page stays as it was rendered.
// API Gateway closes idle sockets after 10 minutes: the socket pings, and a closed one reopens after a growing
// pause, a few times at most.
(() => {
  const PING_EVERY_MS = 5 * 60 * 1000;
  const MAX_TRIES = 6;

  function follow(channel, onMessage) {
    const { live, room, token } = channel.dataset;
    if (!live || !live.startsWith("ws") || !room || !token || !("WebSocket" in window)) return;
    let failures = 0;
    const open = () => {
      let socket;
      try {
        socket = new WebSocket(`${live}?room=${encodeURIComponent(room)}&token=${encodeURIComponent(token)}`);
      } catch (_) {
        return;
      }
      let ping = 0;
      socket.onopen = () => {
        socket.send(JSON.stringify({ action: "subscribe", room }));
        ping = setInterval(() => socket.send(JSON.stringify({ action: "ping" })), PING_EVERY_MS);
      };
      socket.onmessage = (event) => {
        let message;
        try {
          message = JSON.parse(event.data);
        } catch (_) {
          return;
        }
        if (message.type === "subscribed") {
          failures = 0;
          channel.dataset.state = "live"; // for whoever looks (a test, a curious developer); nothing shows it
        } else if (message.data) onMessage(message);
      };
      socket.onclose = () => {
        clearInterval(ping);
        channel.dataset.state = "off";
        failures += 1;
        if (failures < MAX_TRIES) setTimeout(open, Math.min(30000, 1000 * 2 ** failures));
      };
    };
    open();
  }

  // An order page: the status words change as the order moves; "Paid" shows once it is paid.
  // Each move is its own delivery, so two can arrive in either order; an order only moves forward (data-stages:
  // each status's stage), so a report of an earlier stage than the one shown is late news and changes nothing.
  const order = document.getElementById("live-order");
  if (order) {
    let words = {};
    let stages = {};
    try {
      words = JSON.parse(order.dataset.words || "{}");
      stages = JSON.parse(order.dataset.stages || "{}");
    } catch (_) { /* the status then shows as the API names it, as each move arrives */ }
    let current = order.dataset.status;
    const stale = (status) => status in stages && current in stages && stages[status] <= stages[current];
    const moved = { OrderDelivered: "delivered", OrderCancelled: "cancelled" };
    follow(order, (message) => {
      const status = message.type === "OrderStatusChanged" ? message.data.to : moved[message.type];
      const shown = document.querySelector("[data-live-status]");
      if (status && shown && !stale(status)) {
        current = status;
        shown.textContent = words[status] || status;
        shown.className = `status status-${status}`;
      }
      const paid = document.querySelector("[data-live-paid]");
      if (message.type === "PaymentReceived" && paid) paid.hidden = false;
    });
  }

  // Every page of a signed-in shopper: the cart badge shows what the cart holds after a change on another device.
  const cart = document.getElementById("live-cart");
  if (cart) {
    follow(cart, (message) => {
      const link = document.querySelector(".cart-link");
      const count = link && link.querySelector(".count");
      const quantity = message.data.quantity;
      if (message.type !== "CartChanged" || !count || !Number.isInteger(quantity)) return;
      count.textContent = String(quantity);
      count.setAttribute("aria-label", `${quantity} items`);
      // The next page's badge comes from an HttpOnly cookie only the server sets: reading the cart page in the
      // background sets it to the cart as it is now (its answer is not needed).
      fetch(link.href, { credentials: "same-origin" }).catch(() => {});
    });
  }
})();
