// Safeguarding: progressive enhancement only. Every page works without this file.
import { initAll } from "./govuk-frontend.min.js";
import { initAll as initMoj } from "./moj-frontend.min.js";

initAll();
initMoj();

// Idle-timeout warning: shortly before the server would end an idle session,
// offer to stay signed in. The server decides; this only asks and reflects.
function sessionTimeout() {
  const body = document.body;
  const idle = Number(body.dataset.sessionIdle || 0);
  const warning = Number(body.dataset.sessionWarning || 0);
  const keepaliveUrl = body.dataset.sessionKeepalive;
  const dialog = document.getElementById("session-timeout-dialog");
  if (!idle || !dialog || typeof dialog.showModal !== "function") return;
  const statusUrl = dialog.dataset.sessionStatus;
  const countdown = dialog.querySelector("[data-session-countdown]");
  const stay = dialog.querySelector("[data-session-stay]");
  const csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1];
  let deadline = Date.now() + idle * 1000;
  let warnTimer = null;
  let tick = null;

  function words(seconds) {
    if (seconds >= 60) {
      const m = Math.ceil(seconds / 60);
      return m + (m === 1 ? " minute" : " minutes");
    }
    return seconds + (seconds === 1 ? " second" : " seconds");
  }

  function schedule() {
    clearTimeout(warnTimer);
    warnTimer = setTimeout(check, Math.max(0, deadline - Date.now() - warning * 1000));
  }

  async function check() {
    // Another tab may have kept the session alive: ask before warning.
    try {
      const r = await fetch(statusUrl, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" });
      if (r.ok) {
        const data = await r.json();
        deadline = Date.now() + data.remaining_seconds * 1000;
        if (data.remaining_seconds > warning) return schedule();
      } else {
        return expire();
      }
    } catch (e) {
      /* offline: fall through and warn on the local clock */
    }
    show();
  }

  function show() {
    if (!dialog.open) dialog.showModal();
    stay.focus();
    clearInterval(tick);
    const update = () => {
      const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      countdown.textContent = words(left);
      if (left <= 0) expire();
    };
    update();
    tick = setInterval(update, 1000);
  }

  function expire() {
    clearInterval(tick);
    window.location.assign(window.location.pathname + window.location.search);
  }

  stay.addEventListener("click", async () => {
    const r = await fetch(keepaliveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrf || "", "X-Requested-With": "fetch" },
      credentials: "same-origin",
    });
    if (!r.ok) return expire();
    const data = await r.json();
    deadline = Date.now() + data.remaining_seconds * 1000;
    clearInterval(tick);
    dialog.close();
    schedule();
  });
  dialog.addEventListener("cancel", (e) => {
    e.preventDefault();
    stay.click();
  });
  schedule();
}

sessionTimeout();
