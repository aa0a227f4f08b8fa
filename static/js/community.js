// Live topic updates: new posts from the topic's Channels group appear under a "N new posts" notice.
const topic = document.querySelector("[data-topic-ws]");
const list = document.querySelector("[data-post-list]");
const notice = document.querySelector("[data-live-notice]");

// A live post's time as the server writes the others ("2026-01-05 21:41", in the site's zone), not in
// the browser's language and zone.
const stamp = new Intl.DateTimeFormat("sv-SE", {
  timeZone: topic?.dataset.timeZone || undefined, year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", hourCycle: "h23",
});

function card(post) {
  const article = document.createElement("article");
  article.className = "card post is-new fade-in";
  article.id = `post-${post.id}`;
  article.dataset.postId = post.id;
  const head = document.createElement("p");
  head.className = "meta";
  const name = document.createElement("strong");
  name.textContent = post.author;
  const link = document.createElement("a");
  link.href = post.url;
  const time = document.createElement("time");
  time.dateTime = post.created;
  time.textContent = stamp.format(new Date(post.created));
  link.append(time);
  head.append(name, " · ", link);
  const body = document.createElement("div");
  body.className = "post-body";
  // post.html is the server's stored, sanitised HTML (portal.sanitize), never raw input.
  body.innerHTML = post.html;
  article.append(head, body);
  return article;
}

if (topic && list && notice) {
  let unseen = [];
  const label = notice.querySelector("[data-live-show]");
  // gettext and friends come from the page's JavaScript catalogue (portal.js_catalog).
  const text = (n) => interpolate(ngettext("%s new post", "%s new posts", n), [n]);
  label.addEventListener("click", (event) => {
    event.preventDefault();
    unseen.forEach((el) => { el.hidden = false; });
    if (unseen[0]) unseen[0].scrollIntoView({ behavior: "smooth", block: "start" });
    unseen = [];
    notice.hidden = true;
  });
  const connect = (delay) => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}${topic.dataset.topicWs}`);
    socket.addEventListener("message", (event) => {
      const data = JSON.parse(event.data);
      if (data.type !== "post" || document.getElementById(`post-${data.id}`)) return;
      const el = card(data);
      el.hidden = true;
      list.append(el);
      unseen.push(el);
      label.textContent = text(unseen.length);
      notice.hidden = false;
    });
    // A heartbeat keeps this socket in its groups (the channel layer forgets them after 5 minutes).
    const heartbeat = setInterval(() => socket.send(JSON.stringify({ type: "ping" })), 60000);
    socket.addEventListener("close", (event) => {
      clearInterval(heartbeat);
      // 4403: not allowed to follow this topic; do not retry. 4401: the session ended (tend.js says so).
      if (event.code === 4401) document.dispatchEvent(new CustomEvent("tend:signed-out"));
      else if (event.code !== 4403) setTimeout(() => connect(Math.min(delay * 2, 30000)), delay);
    });
  };
  connect(1000);
}
