// The one WebSocket client of every live page (the chat, a topic, an event's seats, the bell): the page
// names a /ws/ path and handles its own frames; this keeps the socket open. Imported, never loaded by a
// <script> tag: every page module imports "./socket.js", so the browser evaluates it once (a tag would
// name the hashed file of the static manifest and run a second copy beside it).
//
// - Reconnects with exponential backoff and jitter; offline, it waits for the browser's "online"
//   instead, and back online or back in view it reconnects at once.
// - Catch-up: `path` may be a function, read at each (re)connect (the chat's ?after=<last seq>), and
//   `onOpen` runs on each open, for what the page sends first.
// - Heartbeat: a ping every `heartbeat` ms keeps the socket in its groups (the channel layer forgets
//   them after 5 minutes). With `silentBeats`, a socket that heard nothing for that many beats is
//   taken for half-open and replaced.
// - Close codes (portal.websocket), the same on every page:
//   4401 SESSION_ENDED: signed out elsewhere. Every socket of the page stops for good and the page
//        hears "tend:signed-out" once (tend.js shows the notice; each page's `onSessionEnd` runs).
//   4409 ACCOUNT_CHANGED: still signed in, the account changed (suspended): the page's
//        `onAccountChanged` where it shows the change (the chat reloads), else reconnect.
//   4403 not allowed here, 4404 no such address: retrying cannot help, so stop.
//   Anything else (4500 server error, 4008 too slow, 1006 gone, 1009 too large): reconnect.
export const SESSION_ENDED = 4401;
export const ACCOUNT_CHANGED = 4409;
const FINAL = new Set([4403, 4404]);

let sessionEnded = false;
document.addEventListener("tend:signed-out", () => { sessionEnded = true; });

// Returns {send(frame), isOpen(), reconnect(), stop(), socket}. It connects at once: of the page's
// callbacks only onState ("connecting") may run before liveSocket() returns.
export function liveSocket(path, {
  onMessage = () => {},
  onOpen = () => {},
  onState = () => {}, // "connecting", "online", "offline"
  onSessionEnd = () => {},
  onAccountChanged = null,
  heartbeat = 60000,
  silentBeats = 0,
  backoff = 1000, // the first retry's delay before jitter; doubles up to maxBackoff
  maxBackoff = 30000,
} = {}) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  let socket = null;
  let attempt = 0;
  let beat = null;
  let retry = null;
  let heard = 0; // when the server last sent anything
  let stopped = false;
  let ended = false;

  const isOpen = () => socket !== null && socket.readyState === WebSocket.OPEN;

  function send(frame) {
    if (!isOpen()) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  // Forget the current socket (its close event is then ignored) and close it.
  function drop() {
    const old = socket;
    socket = null;
    clearInterval(beat);
    clearTimeout(retry);
    if (old) old.close();
  }

  function connect() {
    if (stopped || sessionEnded) return;
    clearTimeout(retry);
    onState("connecting");
    const ws = new WebSocket(`${scheme}://${location.host}${typeof path === "function" ? path() : path}`);
    socket = ws;
    ws.addEventListener("open", () => {
      if (ws !== socket) return;
      attempt = 0;
      heard = Date.now();
      onState("online");
      beat = setInterval(() => {
        if (silentBeats && Date.now() - heard > silentBeats * heartbeat) reconnect();
        else send({ type: "ping" });
      }, heartbeat);
      onOpen();
    });
    ws.addEventListener("message", (e) => {
      if (ws !== socket) return;
      heard = Date.now();
      onMessage(JSON.parse(e.data));
    });
    ws.addEventListener("close", (e) => {
      if (ws !== socket) return;
      clearInterval(beat);
      if (e.code === SESSION_ENDED) {
        document.dispatchEvent(new CustomEvent("tend:signed-out")); // endSession() below runs on it
        return;
      }
      if (e.code === ACCOUNT_CHANGED && onAccountChanged) {
        stopped = true;
        onAccountChanged();
        return;
      }
      onState("offline");
      if (FINAL.has(e.code)) {
        stopped = true;
        return;
      }
      if (!navigator.onLine) return; // the "online" event reconnects
      const delay = Math.min(maxBackoff, backoff * 2 ** attempt) * (0.5 + Math.random() / 2);
      attempt += 1;
      retry = setTimeout(connect, delay);
    });
  }

  function reconnect() {
    drop();
    connect();
  }

  function stop() {
    stopped = true;
    drop();
  }

  // Seen on this socket or on another of the page's: a socket that missed its own 4401 would come back
  // as a stranger (and the chat's be refused with 4403, leaving its composer open).
  function endSession() {
    if (ended) return;
    ended = true;
    stop();
    onSessionEnd();
  }
  document.addEventListener("tend:signed-out", endSession);

  // Not waiting out the backoff when the cause is gone: the network is back, or the reader is.
  function wake() {
    if (stopped || sessionEnded || (socket && socket.readyState !== WebSocket.CLOSED)) return;
    attempt = 0;
    connect();
  }
  window.addEventListener("online", wake);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") wake(); });
  // The browser knows before the socket does: close it now, so a page queues instead of writing into
  // a dead socket, and its close (offline: no retry) waits for "online".
  window.addEventListener("offline", () => { if (socket) socket.close(); });

  connect();
  return {
    send,
    isOpen,
    reconnect,
    stop,
    get socket() { return socket; },
  };
}
