// Live "seats left" on an event page: the server announces the count over a WebSocket (socket.js).
import { liveSocket } from "./socket.js";

const box = document.querySelector("[data-event-seats]");
if (box) {
  liveSocket(`/ws/events/${box.dataset.eventSeats}/`, {
    onMessage(data) {
      if (data.type !== "seats") return;
      const number = box.querySelector("[data-seats-left]");
      if (number) number.textContent = String(Math.max(data.seats_left, 0));
      box.classList.remove("fade-in");
      void box.offsetWidth;
      box.classList.add("fade-in");
    },
  });
}
