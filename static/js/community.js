// Live topic updates: new posts from the topic's Channels group appear under a "N new posts" notice.
// The socket (socket.js) only says which post is new; its card comes from the server, drawn by the same
// template as on reload (community/includes/post_card.html, community.views.post_card) for this reader.
import { liveSocket } from "./socket.js";

const topic = document.querySelector("[data-topic-ws]");
const list = document.querySelector("[data-post-list]");
const notice = document.querySelector("[data-live-notice]");

if (topic && list && notice) {
  let unseen = [];
  const asked = new Set(); // post ids whose card is on its way or shown
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

  // A moderator's buttons on the card bring them back to this page, as on the cards around it.
  const cardUrl = (id) => `${topic.dataset.postCard.replace("/0/", `/${id}/`)}?${new URLSearchParams({
    next: location.pathname + location.search })}`;

  async function show(id) {
    if (asked.has(id) || document.getElementById(`post-${id}`)) return;
    asked.add(id);
    const response = await fetch(cardUrl(id), { credentials: "same-origin" });
    if (!response.ok) return; // hidden or moved since: nothing to show
    const holder = document.createElement("template");
    holder.innerHTML = await response.text(); // our template's output: the post's stored clean HTML
    const card = holder.content.querySelector("article");
    if (!card) return;
    card.classList.add("fade-in");
    card.hidden = true;
    // In post order, whichever of two close posts' cards arrives first.
    const after = [...list.querySelectorAll(":scope > [data-post-id]")]
      .find((el) => Number(el.dataset.postId) > id);
    list.insertBefore(card, after || null);
    unseen.push(card);
    unseen.sort((a, b) => a.dataset.postId - b.dataset.postId);
    label.textContent = text(unseen.length);
    notice.hidden = false;
  }

  liveSocket(topic.dataset.topicWs, {
    onMessage(frame) {
      if (frame.type === "post") show(Number(frame.id));
    },
  });
}
