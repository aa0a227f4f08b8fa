// Unread chat counts, live from the notifications socket: the header's badge beside "Chat", the tab
// title's "(N) " prefix, and on /chat/ the count of the room the frame names.
const badge = document.querySelector("[data-chat-count]");
const rooms = document.querySelector("[data-chat-rooms]");
const PREFIX = /^\(\d+\) /;

// ngettext and interpolate come from the page's JavaScript catalogue (portal.js_catalog).
const unreadText = (n) => interpolate(ngettext("%s unread", "%s unread", n), [n]);

export function showChatUnread(frame) {
  if (typeof frame.total === "number") {
    if (badge) {
      badge.textContent = frame.total;
      badge.hidden = frame.total <= 0;
    }
    const title = document.title.replace(PREFIX, "");
    document.title = frame.total > 0 ? `(${frame.total}) ${title}` : title;
  }
  if (rooms && frame.room) {
    const row = [...rooms.querySelectorAll("[data-room]")].find((el) => el.dataset.room === frame.room);
    const count = row && row.querySelector("[data-unread]");
    if (count) {
      count.textContent = frame.unread > 0 ? unreadText(frame.unread) : "";
      count.hidden = frame.unread <= 0;
    }
  }
}
