// Unread chat counts, live from the notifications socket: the header's badge beside "Chat", the tab
// title's "(N) " prefix, and on /chat/ the count of the room the frame names.
const badge = document.querySelector("[data-chat-count]");
const rooms = document.querySelector("[data-chat-rooms]");
const plural = new Intl.PluralRules(document.documentElement.lang || undefined);
const PREFIX = /^\(\d+\) /;

function unreadText(n) {
  const text = plural.select(n) === "one" ? rooms.dataset.textUnreadOne : rooms.dataset.textUnreadOther;
  // The texts were rendered for 1 and for 2; the figure is swapped in.
  return text.replace(/\d+/, String(n));
}

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
