// Live "seats left" on an event page: the server announces the count over a WebSocket.
const box = document.querySelector("[data-event-seats]");
if (box) {
  const eventId = box.dataset.eventSeats;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  let delay = 1000;
  const connect = () => {
    const socket = new WebSocket(`${scheme}://${location.host}/ws/events/${eventId}/`);
    socket.addEventListener("open", () => { delay = 1000; });
    socket.addEventListener("message", (event) => {
      const data = JSON.parse(event.data);
      if (data.type !== "seats") return;
      const number = box.querySelector("[data-seats-left]");
      if (number) number.textContent = String(Math.max(data.seats_left, 0));
      box.classList.remove("fade-in");
      void box.offsetWidth;
      box.classList.add("fade-in");
    });
    // A heartbeat keeps this socket in its groups (the channel layer forgets them after 5 minutes).
    const heartbeat = setInterval(() => socket.send(JSON.stringify({ type: "ping" })), 60000);
    socket.addEventListener("close", (event) => {
      clearInterval(heartbeat);
      // 4401: the session ended (portal.websocket.SESSION_ENDED); tend.js tells the reader.
      if (event.code === 4401) {
        document.dispatchEvent(new CustomEvent("tend:signed-out"));
        return;
      }
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  };
  connect();
}
