// The NRM summary's copy buttons: shown only when the browser can copy; without
// JavaScript the text stays selectable in each read-only box.
if (navigator.clipboard) {
  for (const button of document.querySelectorAll(".app-copy-button")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const target = document.getElementById(button.dataset.copyTarget);
      await navigator.clipboard.writeText(target.value);
      button.firstChild.textContent = "Copied";
    });
  }
}
