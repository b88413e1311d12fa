// The Stripe payment step: a card element, confirmed against the checkout's PaymentIntent. Incomplete card
// details can be corrected on the same PaymentIntent. A decline is shown beside the card field; since Stripe's
// payment_failed webhook ends that checkout (the saga releases the stock and the cart), another card is tried
// through the "Try another card" form: the payment step again, filled in, as a new checkout of the same cart.
// Success goes to the status page, which waits for Stripe's webhook to place the order.
(function () {
  "use strict";
  var box = document.getElementById("stripe-pay");
  if (!box || typeof window.Stripe !== "function") return;
  var stripe = window.Stripe(box.dataset.key);
  var card = stripe.elements().create("card");
  card.mount("#card-element");
  var form = document.getElementById("card-form");
  var errors = document.getElementById("card-errors");
  var button = document.getElementById("pay-button");
  var label = button.textContent;

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    button.textContent = "Paying…";
    errors.textContent = "";
    stripe.confirmCardPayment(box.dataset.secret, { payment_method: { card: card } }).then(function (result) {
      if (result.error) {
        var declined = result.error.type === "card_error" || /declin/i.test(result.error.message || "");
        var said = (result.error.message || "Your card could not be charged.").trim();
        if (declined) {
          errors.textContent = said + (/[.!?]$/.test(said) ? "" : ".") + " Please use another card.";
          form.hidden = false;
          button.hidden = true;
          document.getElementById("retry-form").hidden = false;
          return;
        }
        errors.textContent = said + (/[.!?]$/.test(said) ? " " : ". ") + "Please check the card details.";
        button.disabled = false;
        button.textContent = label;
        return;
      }
      window.location.assign(box.dataset.done);
    });
  });
})();
