// Checkout, step 1: the billing address fields show only when the shopper wants a different billing address.
(function () {
  "use strict";
  var box = document.querySelector(".billing-fields");
  var choices = document.querySelectorAll('input[name="billing_same"]');
  if (!box || !choices.length) return;
  function show() {
    var other = document.querySelector('input[name="billing_same"][value="no"]');
    box.hidden = !(other && other.checked);
  }
  choices.forEach(function (choice) { choice.addEventListener("change", show); });
  show();
})();
