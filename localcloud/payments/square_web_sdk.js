// A local stand-in for Square's Web Payments SDK (localcloud/payments/square_sandbox.py serves it at
// /v1/square.js): Square.payments(appId, locationId).card() -> attach(selector) renders plain card fields;
// tokenize() maps Square's sandbox test cards to the sandbox nonces the local sandbox understands.
(function () {
  "use strict";
  var OK = "cnon:card-nonce-ok";
  // Square's sandbox cards (developer.squareup.com "Sandbox test values") and the outcome each is given here.
  var CARDS = {
    "4111111111111111": OK, "5105105105105100": OK, "340000000000009": OK, "6011000990139424": OK,
    "4000000000000002": "cnon:card-nonce-declined",
  };
  var CVV_FAILURE = "911", POSTAL_FAILURE = "99999";

  function field(id, text, placeholder, autocomplete, size) {
    var cell = document.createElement("div");
    cell.className = "nz-card-" + id;
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.id = "sq-card-" + id;
    input.placeholder = placeholder;
    input.autocomplete = autocomplete;
    input.inputMode = "numeric";
    input.maxLength = size;
    label.htmlFor = input.id;
    label.textContent = text;
    cell.appendChild(label);
    cell.appendChild(input);
    return cell;
  }

  function Card() { this.inputs = null; }
  Card.prototype.attach = async function (selector) {
    var host = typeof selector === "string" ? document.querySelector(selector) : selector;
    if (!host) throw new Error("Card container not found: " + selector);
    var row = document.createElement("div");
    row.className = "nz-card-fields";
    var cells = [
      field("number", "Card number", "4111 1111 1111 1111", "cc-number", 23),
      field("expiry", "Expiry (MM / YY)", "MM / YY", "cc-exp", 7),
      field("cvc", "CVV", "111", "cc-csc", 4),
      field("postal", "Postal code", "12345", "postal-code", 10),
    ];
    cells.forEach(function (c) { row.appendChild(c); });
    host.appendChild(row);
    this.inputs = {
      number: row.querySelector("#sq-card-number"), expiry: row.querySelector("#sq-card-expiry"),
      cvc: row.querySelector("#sq-card-cvc"), postal: row.querySelector("#sq-card-postal"),
    };
  };
  Card.prototype.tokenize = async function () {
    var v = this.inputs;
    var number = v.number.value.replace(/\D/g, "");
    var expiry = v.expiry.value.replace(/[^\d]/g, "");
    var cvc = v.cvc.value.replace(/\D/g, "");
    var errors = [];
    if (number.length < 15) errors.push({ field: "cardNumber", type: "VALIDATION_ERROR", message: "Card number is not valid." });
    if (expiry.length !== 4 || +expiry.slice(0, 2) < 1 || +expiry.slice(0, 2) > 12) errors.push({ field: "expirationDate", type: "VALIDATION_ERROR", message: "Expiration date is not valid." });
    if (cvc.length < 3) errors.push({ field: "cvv", type: "VALIDATION_ERROR", message: "CVV is not valid." });
    if (!v.postal.value.trim()) errors.push({ field: "postalCode", type: "VALIDATION_ERROR", message: "Postal code is not valid." });
    if (errors.length) return { status: "Invalid", errors: errors };
    var token = CARDS[number] || "cnon:card-nonce-declined";
    if (token === OK && cvc === CVV_FAILURE) token = "cnon:card-nonce-rejected-cvv";
    if (token === OK && v.postal.value.trim() === POSTAL_FAILURE) token = "cnon:card-nonce-rejected-postalcode";
    return { status: "OK", token: token, details: { card: { last4: number.slice(-4) } } };
  };
  Card.prototype.destroy = async function () {
    if (this.inputs) this.inputs.number.closest(".nz-card-fields").remove();
    return true;
  };

  function Payments(appId, locationId) {
    if (!appId || !locationId) throw new Error("Square.payments needs an application id and a location id");
    this.applicationId = appId;
    this.locationId = locationId;
  }
  Payments.prototype.card = async function () { return new Card(); };

  window.Square = { payments: function (appId, locationId) { return new Payments(appId, locationId); } };
})();
