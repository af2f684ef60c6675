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
  const fetchHeaders = { "X-Requested-With": "fetch" };
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

  // Seconds the server gives this session; null once the server has signed the
  // user out; undefined when it cannot be asked (offline). Asking is not activity.
  async function remainingOnServer() {
    try {
      const r = await fetch(statusUrl, { headers: fetchHeaders, credentials: "same-origin", cache: "no-store" });
      if (!r.ok) return null;
      return (await r.json()).remaining_seconds;
    } catch (e) {
      return undefined;
    }
  }

  function schedule() {
    clearTimeout(warnTimer);
    warnTimer = setTimeout(check, Math.max(0, deadline - Date.now() - warning * 1000));
  }

  // Another tab may have kept the session alive: ask before warning.
  async function check() {
    const remaining = await remainingOnServer();
    if (remaining === null) return signedOut();
    if (remaining !== undefined) {
      deadline = Date.now() + remaining * 1000;
      if (remaining > warning) return schedule();
    }
    show();
  }

  function show() {
    if (!dialog.open) {
      dialog.showModal();
      stay.focus();
    }
    clearInterval(tick);
    const update = () => {
      const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      countdown.textContent = words(left);
      if (left <= 0) {
        clearInterval(tick);
        timeUp();
      }
    };
    update();
    tick = setInterval(update, 1000);
  }

  function hide() {
    clearInterval(tick);
    if (dialog.open) dialog.close();
  }

  // The local countdown has run out. Reload only once the server has ended the
  // session: a reload of a live session would count as activity and keep an
  // unattended screen signed in.
  async function timeUp() {
    const remaining = await remainingOnServer();
    if (remaining === null || remaining === undefined) return signedOut();
    if (remaining <= 0) return typedSomething() ? keepTyping() : signedOut();
    deadline = Date.now() + remaining * 1000;
    if (remaining > warning) {
      hide();
      schedule();
    } else {
      show();
    }
  }

  // Has the user typed into a form on this page and not sent it?
  function typedSomething() {
    const main = document.getElementById("main-content");
    if (!main) return false;
    return Array.from(main.querySelectorAll("form input, form textarea, form select")).some((el) => {
      if (el.type === "hidden" || el.type === "submit" || el.type === "button") return false;
      if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
      if (el.tagName === "SELECT") return Array.from(el.options).some((o) => o.selected !== o.defaultSelected);
      return el.value !== el.defaultValue;
    });
  }

  // The session is over but the user has typed: leave the page as it is. Sending the
  // form then signs them in again and gives what they typed back to check and send.
  function keepTyping() {
    clearInterval(tick);
    dialog.querySelector("#session-timeout-heading").textContent = "You have been signed out";
    dialog.querySelector("#session-timeout-text").textContent =
      "For your security, you were signed out because you had not done anything for a while. " +
      "What you typed is still on this page. When you send the form, you will be asked to sign in " +
      "again, and then you can check what you typed and send it.";
    dialog.querySelectorAll("[data-session-active]").forEach((el) => (el.hidden = true));
    const close = dialog.querySelector("[data-session-close]");
    close.hidden = false;
    if (!dialog.open) dialog.showModal();
    close.focus();
  }

  function signedOut() {
    hide();
    window.location.assign(window.location.pathname + window.location.search);
  }

  stay.addEventListener("click", async () => {
    let r;
    try {
      r = await fetch(keepaliveUrl, {
        method: "POST",
        headers: { ...fetchHeaders, "X-CSRFToken": csrf || "" },
        credentials: "same-origin",
      });
    } catch (e) {
      return; // offline: keep the dialog so the user can try again
    }
    if (!r.ok) return signedOut();
    deadline = Date.now() + (await r.json()).remaining_seconds * 1000;
    hide();
    schedule();
  });
  dialog.querySelector("[data-session-close]").addEventListener("click", () => dialog.close());
  dialog.addEventListener("cancel", (e) => {
    if (!stay.hidden) {
      e.preventDefault();
      stay.click();
    }
  });
  schedule();
}

sessionTimeout();
