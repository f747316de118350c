// Clicking a [n] marker in an answer opens that source in the panel and scrolls to it.
document.addEventListener("click", function (event) {
  const link = event.target.closest && event.target.closest("a.cite, a[href^='#src-']");
  if (!link) return;
  event.preventDefault();
  event.stopPropagation();
  const n = link.getAttribute("data-cite") || (link.getAttribute("href") || "").replace("#src-", "");
  const item = document.getElementById("src-" + n);
  if (!item) return;
  item.open = true;
  item.scrollIntoView({ behavior: "smooth", block: "center" });
  item.classList.add("flash");
  setTimeout(function () { item.classList.remove("flash"); }, 1200);
}, true);
