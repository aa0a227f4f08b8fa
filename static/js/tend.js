// Site-wide behaviour: the mobile menu toggle. Other modules are loaded by the pages that need them.
const toggle = document.querySelector(".nav-toggle");
const nav = document.getElementById("site-nav");
if (toggle && nav) {
  toggle.addEventListener("click", () => {
    const open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  });
}

// A socket closed with 4401 (portal.websocket.SESSION_ENDED): this browser's session ended (signed out,
// password changed elsewhere, account deactivated). The page's sockets (socket.js) stop reconnecting
// and send "tend:signed-out"; the page says so once instead of retrying into a wall.
const sessionEnded = document.querySelector("[data-session-ended]");
if (sessionEnded) {
  document.addEventListener("tend:signed-out", () => { sessionEnded.hidden = false; });
  sessionEnded.querySelector("[data-reload]").addEventListener("click", () => location.reload());
}

// Behaviour attached here rather than in on* attributes: the Content-Security-Policy forbids inline script.
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
for (const input of document.querySelectorAll("[data-select-on-focus]")) {
  input.addEventListener("focus", () => input.select());
  input.addEventListener("click", () => input.select());
}
// A form whose effect is hard to undo (giving up a seat, spending points) asks first: its
// data-confirm holds the question, already translated by the template.
for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}
