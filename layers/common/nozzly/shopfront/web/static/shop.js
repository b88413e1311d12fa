// Progressive: every page works without this file. It only adds search suggestions as the shopper types.
(() => {
  const input = document.querySelector("input[data-suggest]");
  const list = input && document.getElementById(input.getAttribute("list"));
  if (!input || !list) return;
  let timer = 0;
  let asked = "";
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2 || q === asked) return;
    timer = setTimeout(async () => {
      asked = q;
      try {
        const answer = await fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q), {headers: {accept: "application/json"}});
        if (!answer.ok) return;
        const found = await answer.json();
        if (input.value.trim() !== q) return; // typed on meanwhile: a newer answer is coming
        list.replaceChildren(...found.suggestions.map((s) => Object.assign(document.createElement("option"), {value: s})));
      } catch (_) { /* suggestions are a nicety: the search form still works */ }
    }, 150);
  });
})();

// An image that does not load (a cover whose file was removed) is hidden rather than drawn as a broken box.
(() => {
  for (const img of document.querySelectorAll("img[data-hide-broken]")) {
    // style, not the hidden attribute: the stylesheet's `img { display: block }` would win over it.
    const hide = () => { (img.closest("a[aria-hidden]") ?? img).style.display = "none"; };
    if (img.complete && img.naturalWidth === 0) hide();
    else img.addEventListener("error", hide);
  }
})();
