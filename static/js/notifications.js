// The header bell follows new notifications live on every open tab; reconnects with backoff.
import { showChatUnread } from "./chat-unread.js";

const count = document.querySelector("[data-bell-count]");
if (count) {
  let attempt = 0;
  let heartbeat = null;
  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/ws/notifications/`);
    socket.addEventListener("open", () => {
      attempt = 0;
      heartbeat = setInterval(() => socket.send(JSON.stringify({ type: "ping" })), 60000);
    });
    socket.addEventListener("message", (e) => {
      const frame = JSON.parse(e.data);
      if (frame.type === "unread") showChatUnread(frame);
      if (frame.type !== "notification") return;
      count.textContent = frame.unread;
      count.hidden = !frame.unread;
      // Other modules (e.g. the dashboard's points figure) follow the same socket.
      document.dispatchEvent(new CustomEvent("tend:notification", { detail: frame }));
    });
    socket.addEventListener("close", (e) => {
      clearInterval(heartbeat);
      if (e.code === 4403) return;
      // 4401: the session ended (portal.websocket.SESSION_ENDED); tend.js tells the reader.
      if (e.code === 4401) {
        document.dispatchEvent(new CustomEvent("tend:signed-out"));
        return;
      }
      setTimeout(connect, Math.min(30000, 1000 * 2 ** attempt++) * (0.5 + Math.random() / 2));
    });
  };
  connect();
}
