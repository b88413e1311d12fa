// Square: the card is tokenized by Square's Web Payments SDK before the order is placed; the token goes to the
// checkout as its source_token. The card fields show only while "Card (Square)" is the chosen payment.
(function () {
  "use strict";
  var box = document.getElementById("square-pay");
  var form = document.getElementById("place-form");
  if (!box || !form || !window.Square) return;
  var errors = document.getElementById("square-errors");
  var token = document.getElementById("source-token");
  var cardReady = null;

  function squareChosen() {
    var chosen = form.querySelector('input[name="payment_method"]:checked');
    return chosen && chosen.value === "square_card";
  }
  async function attach() {
    var payments = window.Square.payments(box.dataset.appId, box.dataset.locationId);
    var card = await payments.card();
    await card.attach("#card-container");
    return card;
  }
  function show() {
    box.hidden = !squareChosen();
    if (!box.hidden && !cardReady) cardReady = attach();
  }
  form.querySelectorAll('input[name="payment_method"]').forEach(function (r) { r.addEventListener("change", show); });
  show();

  form.addEventListener("submit", async function (event) {
    if (!squareChosen() || token.value) return;
    event.preventDefault();
    var button = document.getElementById("place-button");
    button.disabled = true;
    errors.textContent = "";
    try {
      var card = await cardReady;
      var result = await card.tokenize();
      if (result.status === "OK") {
        token.value = result.token;
        form.submit();
        return;
      }
      var why = (result.errors || []).map(function (e) { return e.message; }).join(" ");
      errors.textContent = (why || "Please check your card details.") + " Nothing was charged.";
    } catch (failed) {
      errors.textContent = "The card form could not be loaded. Please reload the page or choose another way to pay.";
    }
    button.disabled = false;
  });
})();
