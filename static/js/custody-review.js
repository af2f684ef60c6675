// Custody list import: while the import runs, fetch the page every two seconds and
// replace the progress banner; reload once it has finished so the summary shows.
// Without JavaScript the "Refresh the progress" link does the same by hand.
const INTERVAL_MS = 2000;
const progress = document.getElementById("import-progress");

async function poll() {
  try {
    const response = await fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!response.ok || response.redirected) {
      window.location.reload();
      return;
    }
    const html = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = html.getElementById("import-progress");
    if (!fresh || fresh.dataset.finished === "true") {
      window.location.reload();
      return;
    }
    document.getElementById("import-progress").replaceWith(fresh);
    window.setTimeout(poll, INTERVAL_MS);
  } catch {
    window.setTimeout(poll, INTERVAL_MS * 2);
  }
}

if (progress && progress.dataset.finished === "false") {
  window.setTimeout(poll, INTERVAL_MS);
}
