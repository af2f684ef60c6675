// Ticks the 48-hour checklist countdowns. The server renders the same text, so the
// pages read correctly without JavaScript; this only keeps it current.
const MINUTE = 60 * 1000;

function describe(msLeft) {
  const overdue = msLeft < 0;
  const minutes = Math.floor(Math.abs(msLeft) / MINUTE);
  const days = Math.floor(minutes / (24 * 60));
  const hours = Math.floor((minutes % (24 * 60)) / 60);
  const mins = minutes % 60;
  let text;
  if (days) text = `${days} d ${hours} h`;
  else if (hours) text = `${hours} h ${String(mins).padStart(2, "0")} min`;
  else text = `${mins} min`;
  return overdue ? `overdue by ${text}` : `${text} left`;
}

function tick() {
  const now = Date.now();
  document.querySelectorAll("[data-countdown-due]").forEach((el) => {
    const due = Date.parse(el.dataset.countdownDue);
    if (!Number.isNaN(due)) el.textContent = describe(due - now);
  });
}

if (document.querySelector("[data-countdown-due]")) {
  tick();
  window.setInterval(tick, 30 * 1000);
}
