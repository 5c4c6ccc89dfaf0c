// Small progressive enhancements; every page works without this file.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.classList.contains("file-input")) return;
  const names = input.closest(".file-pick")?.querySelector(".file-names");
  if (!names) return;
  const chosen = Array.from(input.files || []).map((f) => f.name);
  names.textContent = chosen.length ? chosen.join("、") : names.dataset.empty;
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  const message = form instanceof HTMLFormElement ? form.dataset.confirm : null;
  if (message && !window.confirm(message)) event.preventDefault();
});
