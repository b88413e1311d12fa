
// ---- Nozzly's addition (localcloud/payments/stripe_peer.py serves it after localstripe-v3.js) ----
// A card element with labelled fields (number, expiry, CVC), and a confirmCardPayment that sends the entered card
// to the peer: a PaymentMethod is created from it, then the PaymentIntent is confirmed with it, so Stripe's test
// cards behave (4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined).
(function () {
  "use strict";
  var FIELDS = [
    ["number", "Card number", "1234 1234 1234 1234", "cc-number", 23],
    ["expiry", "Expiry (MM / YY)", "MM / YY", "cc-exp", 7],
    ["cvc", "CVC", "123", "cc-csc", 4],
  ];

  Element.prototype.mount = function (target) {
    var host = typeof target === "string" ? document.querySelector(target) : target;
    var self = this;
    var row = document.createElement("div");
    row.className = "nz-card-fields";
    self._inputs = {};
    FIELDS.forEach(function (f) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.id = "nz-card-" + f[0];
      input.name = "nz-card-" + f[0];
      input.placeholder = f[2];
      input.autocomplete = f[3];
      input.maxLength = f[4];
      input.inputMode = "numeric";
      label.htmlFor = input.id;
      label.textContent = f[1];
      var cell = document.createElement("div");
      cell.className = "nz-card-" + f[0];
      cell.appendChild(label);
      cell.appendChild(input);
      row.appendChild(cell);
      self._inputs[f[0]] = input;
      input.addEventListener("input", function () {
        (self.listeners.change || []).forEach(function (h) { h({ complete: false }); });
      });
    });
    host.appendChild(row);
    self._domChildren = [row];
  };

  Element.prototype._card = function () {
    var number = (this._inputs.number.value || "").replace(/\D/g, "");
    var exp = (this._inputs.expiry.value || "").replace(/[^\d\/]/g, "").split("/");
    var month = (exp[0] || "").trim(), year = (exp[1] || "").trim();
    if (exp.length === 1 && month.length === 4) { year = month.slice(2); month = month.slice(0, 2); }
    var cvc = (this._inputs.cvc.value || "").replace(/\D/g, "");
    if (number.length !== 16) return { error: { type: "validation_error", code: "incomplete_number", message: "Your card number is incomplete." } };
    if (!month || !year || +month < 1 || +month > 12) return { error: { type: "validation_error", code: "incomplete_expiry", message: "Your card's expiry date is incomplete." } };
    if (cvc.length !== 3) return { error: { type: "validation_error", code: "incomplete_cvc", message: "Your card's security code is incomplete." } };
    return { card: { number: number, exp_month: month, exp_year: year.length === 2 ? "20" + year : year, cvc: cvc } };
  };

  var original = Stripe;
  Stripe = function (apiKey) {
    var stripe = original(apiKey);
    async function post(path, fields) {
      var response = await fetch(LOCALSTRIPE_BASE_API + path, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields).toString(),
      });
      var body = await response.json().catch(function () { return {}; });
      return response.ok && !body.error ? { ok: body } : { error: body.error || { message: "The payment could not be processed." } };
    }
    stripe.confirmCardPayment = async function (clientSecret, data) {
      var element = data && data.payment_method && data.payment_method.card;
      if (!element || !element._card) return { error: { message: "No card was given." } };
      var entered = element._card();
      if (entered.error) return entered;
      var c = entered.card;
      var method = await post("/v1/payment_methods", {
        type: "card", "card[number]": c.number, "card[exp_month]": c.exp_month, "card[exp_year]": c.exp_year,
        "card[cvc]": c.cvc, key: apiKey,
      });
      if (method.error) return { error: method.error };
      var pi = clientSecret.match(/^(pi_\w+)_secret_/)[1];
      var confirmed = await post("/v1/payment_intents/" + pi + "/confirm", {
        payment_method: method.ok.id, client_secret: clientSecret, key: apiKey,
      });
      if (confirmed.error) return { error: confirmed.error };
      return { paymentIntent: confirmed.ok };
    };
    return stripe;
  };
  window.Stripe = Stripe;
})();
