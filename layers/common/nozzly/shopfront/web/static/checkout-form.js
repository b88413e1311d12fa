// Checkout, step 1: the billing address fields show only when the shopper wants a different billing address.
// Step 2: the order summary shows the totals of the chosen shipping method only.
(function () {
  "use strict";
  var blocks = document.querySelectorAll(".option-totals");
  var methods = document.querySelectorAll('input[name="shipping_method"]');
  if (!blocks.length || !methods.length) return;
  function pick() {
    var chosen = document.querySelector('input[name="shipping_method"]:checked');
    blocks.forEach(function (b) { b.hidden = !chosen || b.dataset.method !== chosen.value; });
    document.querySelectorAll(".option-totals .with").forEach(function (w) { w.hidden = true; });
  }
  methods.forEach(function (m) { m.addEventListener("change", pick); });
  pick();
})();

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
