// The Stripe payment step: a card element, confirmed against the checkout's PaymentIntent. A decline is shown
// beside the card field and another card can be tried on the same PaymentIntent; success goes to the status
// page, which waits for Stripe's webhook to place the order.
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
        var said = (result.error.message || "Your card could not be charged.").trim();
        errors.textContent = said + (/[.!?]$/.test(said) ? " " : ". ") + "Please check the details or try another card.";
        button.disabled = false;
        button.textContent = label;
        return;
      }
      window.location.assign(box.dataset.done);
    });
  });
})();
