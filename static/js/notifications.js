// The header bell follows new notifications live on every open tab (socket.js keeps the socket open).
import { showChatUnread } from "./chat-unread.js";
import { liveSocket } from "./socket.js";

const count = document.querySelector("[data-bell-count]");
if (count) {
  liveSocket("/ws/notifications/", {
    onMessage(frame) {
      if (frame.type === "unread") showChatUnread(frame);
      if (frame.type !== "notification") return;
      count.textContent = frame.unread;
      count.hidden = !frame.unread;
      // Other modules (e.g. the dashboard's points figure) follow the same socket.
      document.dispatchEvent(new CustomEvent("tend:notification", { detail: frame }));
    },
  });
}
