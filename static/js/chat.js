// Chat room client: its socket (socket.js) reconnects with backoff and catches up from the last seq
// seen; messages typed offline are queued and resent with the same client id, so nothing is lost or
// stored twice.
import { liveSocket } from "./socket.js";

const root = document.querySelector("[data-chat]");
if (root) {
  const t = (name) => root.dataset["text" + name[0].toUpperCase() + name.slice(1)];
  const log = root.querySelector("[data-chat-log]");
  const list = root.querySelector("[data-chat-messages]");
  const empty = root.querySelector("[data-chat-empty]");
  const older = root.querySelector("[data-chat-older]");
  const state = root.querySelector("[data-chat-state]");
  const live = root.querySelector("[data-chat-live]");
  const typingLine = root.querySelector("[data-chat-typing]");
  const presence = root.querySelector("[data-chat-presence]");
  const directForm = root.querySelector("[data-chat-direct]");
  const errorLine = root.querySelector("[data-chat-error]");
  // Confirmations ("thank you for the report") are not errors: their own polite line, not the alert.
  const statusLine = root.querySelector("[data-chat-status]");
  const form = root.querySelector("[data-chat-form]");
  const input = form && form.querySelector("textarea");
  const userId = Number(root.dataset.userId);
  const moderator = root.dataset.moderator === "1";
  const EDIT_MS = 10 * 60 * 1000;
  // Times in the page's language and the room's zone (its store's, else the site's), not the browser's:
  // a Chinese page reads 24-hour times, and everyone in a room sees the same hour.
  const lang = document.documentElement.lang || undefined;
  const zone = root.dataset.timeZone || undefined;
  const clock = new Intl.DateTimeFormat(lang, { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const dayName = new Intl.DateTimeFormat(lang, { timeZone: zone, dateStyle: "medium" });
  // A sortable calendar day in the room's zone, to compare days and to tell today and yesterday.
  const dayKey = (date) => new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(date);
  const GROUP_MS = 5 * 60 * 1000; // the same author's messages closer than this share one name and time

  const byId = new Map(); // message id -> <li>
  const frames = new Map(); // message id -> its latest frame (what Up edits)
  const pending = []; // {clientId, body, el, failed}: the outbox in typed order, until the server acks them
  const acked = new Map(); // message id -> its pending <li>, acknowledged before the message itself arrived
  let inFlight = null; // {item, ws}: the one message sent and not yet answered, and on which socket
  let paceTimer = null; // set while the rate limit's retry_after runs
  const ANSWER_MS = 10000; // an open socket that has not answered a send by then gets it again
  let lastSeq = null;
  let firstSeq = null;
  let lastTyping = 0;
  let typingTimer = null;
  let readSent = 0;
  let behindSeq = null; // the stored seq of the last heartbeat, when it was beyond ours

  const newClientId = () =>
    (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

  function setState(name) {
    state.dataset.state = name;
    state.textContent = t(name === "online" ? "online" : name === "offline" ? "offline" : "connecting");
  }

  function nearBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }

  function render(msg) {
    const li = byId.get(msg.id) || document.createElement("li");
    li.className = "chat-msg" + (msg.author_id === userId ? " mine" : "") + (msg.deleted ? " deleted" : "");
    li.dataset.id = msg.id;
    li.dataset.seq = msg.seq;
    li.replaceChildren();
    frames.set(msg.id, msg);
    li.dataset.author = msg.author_id;
    li.dataset.created = msg.created;
    const meta = document.createElement("p");
    meta.className = "meta";
    // Name, badges and time: shown once for a run of one author's messages (see regroup()).
    const byline = document.createElement("span");
    byline.className = "chat-byline";
    const who = document.createElement("strong");
    who.textContent = msg.author;
    byline.append(who);
    if (msg.staff) {
      const badge = document.createElement("span");
      badge.className = "badge badge-sage";
      badge.textContent = t("staff");
      byline.append(" ", badge);
    }
    if (msg.tier) {
      const tier = document.createElement("span");
      tier.className = `badge tier tier-${msg.tier}`;
      tier.textContent = msg.tier_label;
      byline.append(" ", tier);
    }
    const time = document.createElement("time");
    time.dateTime = msg.created;
    time.textContent = clock.format(new Date(msg.created));
    byline.append(" ", time);
    meta.append(byline);
    if (msg.edited && !msg.deleted) meta.append(` (${t("edited")})`);
    if (!msg.deleted) meta.append(actions(msg));
    const body = document.createElement("div");
    body.className = "chat-body";
    // The server escaped the text and rendered its light Markdown and links (portal.sanitize).
    if (msg.deleted) body.textContent = t("deleted");
    else body.innerHTML = msg.html;
    li.append(meta, body);
    return li;
  }

  function actions(msg) {
    const box = document.createElement("span");
    box.className = "chat-actions";
    const mine = msg.author_id === userId && Date.now() - new Date(msg.created).getTime() < EDIT_MS;
    const add = (label, handler) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "link-button";
      b.textContent = label;
      b.addEventListener("click", handler);
      box.append(b);
    };
    if (mine && form) add(t("edit"), () => editInline(msg));
    if ((mine && form) || moderator) {
      add(t("delete"), () => { if (confirm(t("confirmDelete"))) send({ type: "delete", id: msg.id }); });
    }
    if (msg.author_id !== userId) {
      add(t("report"), () => reportInline(msg));
    }
    return box;
  }

  // Reporting in place: the moderator sees the reason beside the message; Cancel or Escape sends
  // nothing. (A browser prompt() cannot be styled, translated by us or reached on some phones.)
  function reportInline(msg) {
    const li = byId.get(msg.id);
    if (!li || li.querySelector(".chat-report")) return;
    const box = document.createElement("form");
    box.className = "chat-report";
    const label = document.createElement("label");
    label.textContent = t("reportPrompt");
    const field = document.createElement("input");
    field.type = "text";
    field.maxLength = 300; // MessageReport.reason
    label.append(field);
    const submit = document.createElement("button");
    submit.type = "submit";
    submit.className = "button button-small";
    submit.textContent = t("sendReport");
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "link-button";
    cancel.textContent = t("cancel");
    box.append(label, submit, cancel);
    box.addEventListener("submit", (e) => {
      e.preventDefault();
      send({ type: "report", id: msg.id, reason: field.value.trim() });
      box.remove();
    });
    cancel.addEventListener("click", () => box.remove());
    field.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        box.remove();
      }
    });
    li.append(box);
    box.scrollIntoView({ block: "nearest" });
    field.focus();
  }

  // Editing in place, as in a messenger: Enter saves, Shift+Enter breaks the line, Escape (or leaving
  // the field) puts the message back as it was. The server's update frame redraws the saved text.
  function editInline(msg) {
    const li = byId.get(msg.id);
    const body = li && li.querySelector(".chat-body");
    if (!body || li.querySelector(".chat-edit")) return;
    const field = document.createElement("textarea");
    field.className = "chat-edit";
    field.rows = 2;
    field.maxLength = input.maxLength;
    // The text as written (Markdown and all), from the message's latest frame.
    const source = frames.get(msg.id).body;
    field.value = source;
    field.setAttribute("aria-label", t("editPrompt"));
    const hint = document.createElement("p");
    hint.className = "meta chat-edit-hint";
    hint.textContent = t("editHint");
    let done = false;
    const finish = (save) => {
      if (done) return;
      done = true;
      const text = field.value.trim();
      if (save && text && text !== source) send({ type: "edit", id: msg.id, body: text });
      field.replaceWith(body);
      hint.remove();
      input.focus();
    };
    field.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        finish(true);
      } else if (e.key === "Escape") {
        e.preventDefault();
        finish(false);
      }
    });
    field.addEventListener("blur", () => finish(false));
    body.replaceWith(field);
    field.after(hint);
    hint.scrollIntoView({ block: "nearest" });
    field.focus();
    field.setSelectionRange(field.value.length, field.value.length);
  }

  function insert(msg, announce) {
    if (byId.has(msg.id)) return; // de-duplicated by id
    const stick = nearBottom();
    const li = render(msg);
    byId.set(msg.id, li);
    // Keep seq order even when older pages arrive later.
    const after = [...list.children].find((el) => el.dataset.seq && Number(el.dataset.seq) > msg.seq);
    list.insertBefore(li, after || pendingAnchor());
    regroup();
    if (acked.has(msg.id)) {
      acked.get(msg.id).remove();
      acked.delete(msg.id);
    }
    if (lastSeq === null || msg.seq > lastSeq) lastSeq = msg.seq;
    if (firstSeq === null || msg.seq < firstSeq) firstSeq = msg.seq;
    empty.hidden = true;
    if (announce && msg.author_id !== userId && !msg.deleted) {
      live.textContent = `${msg.author}: ${li.querySelector(".chat-body").textContent}`;
    }
    if (stick) log.scrollTop = log.scrollHeight;
  }

  // Date separators between days and grouping of one author's consecutive messages, recomputed over
  // the whole list: older pages and late arrivals land anywhere, and a room page holds a few hundred.
  function regroup() {
    list.querySelectorAll(":scope > .chat-day").forEach((el) => el.remove());
    const today = dayKey(new Date());
    const yesterday = dayKey(new Date(Date.now() - 86400000));
    let prev = null;
    for (const li of list.querySelectorAll(":scope > .chat-msg[data-created]")) {
      const created = new Date(li.dataset.created);
      const day = dayKey(created);
      if (!prev || prev.day !== day) {
        const sep = document.createElement("li");
        sep.className = "chat-day";
        sep.setAttribute("role", "separator");
        sep.textContent = day === today ? t("today") : day === yesterday ? t("yesterday") : dayName.format(created);
        li.before(sep);
      }
      const follow = prev && prev.day === day && prev.author === li.dataset.author
        && created - prev.created < GROUP_MS && !li.classList.contains("deleted");
      li.classList.toggle("follow", Boolean(follow));
      prev = { day, author: li.dataset.author, created };
    }
  }

  function pendingAnchor() {
    return pending.length ? pending[0].el : null;
  }

  function markRead() {
    if (lastSeq && lastSeq > readSent && document.visibilityState === "visible" && isOpen()) {
      readSent = lastSeq;
      send({ type: "read", seq: lastSeq });
    }
  }

  // The reader's marker as the page opened: the first history gets a divider before the first message
  // after it, scrolled into view. Once: the socket marks what is shown as read straight away.
  let lastRead = root.dataset.lastRead ? Number(root.dataset.lastRead) : null;

  function showUnreadDivider() {
    if (lastRead === null) return;
    const first = [...list.children].find((el) => el.dataset.seq && Number(el.dataset.seq) > lastRead);
    // Not for a room never opened before: all of it is new.
    if (first && lastRead > 0) {
      const divider = document.createElement("li");
      divider.className = "chat-unread-divider";
      divider.setAttribute("role", "separator");
      // A seq between the last read and the first unread: messages loaded later sort around it.
      divider.dataset.seq = lastRead + 0.5;
      divider.textContent = t("unread");
      list.insertBefore(divider, first);
      log.scrollTop += divider.getBoundingClientRect().top - log.getBoundingClientRect().top - 8;
    }
    lastRead = null;
  }

  const isOpen = () => connection.isOpen();
  const send = (frame) => connection.send(frame);

  // The outbox sends one message at a time: the server numbers messages in arrival order, so sending
  // the next only once the previous is answered stores them in typed order (a refused one is not
  // overtaken). After a reconnect the unanswered one goes out again with its client id (the server
  // stores a client id once).
  function pump() {
    if (paceTimer || !isOpen() || (inFlight && inFlight.ws === connection.socket)) return;
    const item = pending.find((p) => !p.failed);
    const sent = item ? { item, ws: connection.socket } : null;
    inFlight = sent;
    if (!item) return;
    send({ type: "send", body: item.body, client_id: item.clientId });
    // Neither ack nor error (a server fault that left the socket open): resending is safe, the
    // server stores a client id once.
    setTimeout(() => {
      if (inFlight === sent) {
        inFlight = null;
        pump();
      }
    }, ANSWER_MS);
  }

  function showOutgoing(item, reason) {
    item.el.className = `chat-msg mine ${reason ? "failed" : "pending"}`;
    if (!reason) {
      item.el.textContent = `${item.body} (${t("pending")})`;
      return;
    }
    const note = document.createElement("span");
    note.className = "meta";
    note.textContent = ` ${t("failed")}: ${reason} `;
    const retry = document.createElement("button");
    retry.type = "button";
    retry.className = "link-button";
    retry.textContent = t("retry");
    retry.addEventListener("click", () => {
      item.failed = false;
      showOutgoing(item);
      pump();
    });
    item.el.replaceChildren(item.body, note, retry);
  }

  function clearList() {
    byId.clear();
    list.replaceChildren(...pending.map((p) => p.el));
    acked.clear();
    lastSeq = firstSeq = null;
  }

  function onFrame(frame) {
    switch (frame.type) {
      case "history":
        if (frame.reset) clearList();
        frame.messages.forEach((m) => insert(m, false));
        if (frame.reset) older.hidden = !frame.more;
        empty.hidden = list.children.length > 0;
        log.scrollTop = log.scrollHeight;
        showUnreadDivider();
        markRead();
        break;
      case "message":
        insert(frame, true);
        markRead();
        break;
      case "update":
        if (byId.has(frame.id)) {
          render(frame); // render() rewrites the existing element in place
          regroup();
        }
        break;
      case "ack": {
        const i = pending.findIndex((p) => p.clientId === frame.client_id);
        if (i >= 0) {
          const [item] = pending.splice(i, 1);
          // Shown as pending until the message itself is on screen (its broadcast may come second).
          if (byId.has(frame.id)) item.el.remove();
          else acked.set(frame.id, item.el);
        }
        if (inFlight && inFlight.item.clientId === frame.client_id) inFlight = null;
        pump();
        break;
      }
      case "reload":
        errorLine.textContent = t("reload");
        break;
      case "error":
        // Too fast, or the server briefly away (a frame with retry_after), is not the writer's problem:
        // the outbox waits and resends by itself.
        if (!frame.retry_after) errorLine.textContent = frame.message;
        if (frame.client_id) dropOrRetry(frame);
        break;
      case "typing":
        typingLine.textContent = `${frame.name} ${t("typing")}`;
        clearTimeout(typingTimer);
        typingTimer = setTimeout(() => { typingLine.textContent = ""; }, 4000);
        break;
      case "presence":
        showPresence(frame.people);
        break;
      case "reported":
        errorLine.textContent = "";
        statusLine.textContent = t("reported");
        break;
      case "heartbeat":
        // The room's last stored seq. Beyond ours twice running (not a broadcast still on its way):
        // something was lost between the server and us, so catch up from our last seq.
        if (behindSeq !== null && (lastSeq || 0) < behindSeq) connection.reconnect();
        else behindSeq = frame.seq > (lastSeq || 0) ? frame.seq : null;
        break;
    }
  }

  // Who is here; beside everyone else a "Message" button that opens a direct conversation with them
  // (the hidden form holds the CSRF token; none in direct rooms or for suspended readers).
  function showPresence(people) {
    presence.replaceChildren(...people.flatMap((person, i) => {
      const parts = i ? [", ", person.name] : [person.name];
      if (directForm && person.id !== userId) {
        const button = document.createElement("button");
        button.type = "submit";
        button.className = "link-button chat-direct";
        button.setAttribute("form", directForm.id);
        button.formAction = directForm.dataset.url.replace("/0/", `/${person.id}/`);
        button.textContent = t("message");
        button.setAttribute("aria-label", `${t("message")}: ${person.name}`);
        parts.push(" ", button);
      }
      return parts;
    }));
  }

  function dropOrRetry(frame) {
    const item = pending.find((p) => p.clientId === frame.client_id);
    if (inFlight && inFlight.item === item) inFlight = null;
    if (!item) return;
    if (frame.retry_after) {
      // Nothing was stored (rate limited, or the database or Redis briefly away): the same message,
      // still first in line, goes out again with its client id when the server says.
      paceTimer = setTimeout(() => {
        paceTimer = null;
        pump();
      }, (frame.retry_after || 1) * 1000);
      return;
    }
    // A permanent refusal (too long, suspended, not allowed here): kept on screen with the reason and
    // a Retry button; the rest of the outbox goes on.
    item.failed = true;
    showOutgoing(item, frame.message);
    pump();
  }

  if (form) {
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const body = input.value.trim();
      if (!body) return;
      const item = { clientId: newClientId(), body, el: document.createElement("li"), failed: false };
      showOutgoing(item);
      list.append(item.el);
      empty.hidden = true;
      pending.push(item);
      input.value = "";
      errorLine.textContent = "";
      log.scrollTop = log.scrollHeight;
      pump();
    });
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        form.requestSubmit();
      } else if (e.key === "ArrowUp" && !input.value && !e.isComposing) {
        // Up in an empty composer edits your last message, while it may still be edited.
        const last = [...list.querySelectorAll(".chat-msg.mine[data-id]:not(.deleted)")].pop();
        const frame = last && frames.get(Number(last.dataset.id));
        if (frame && Date.now() - new Date(frame.created).getTime() < EDIT_MS) {
          e.preventDefault();
          editInline(frame);
        }
      }
    });
    input.addEventListener("input", () => {
      if (Date.now() - lastTyping > 3000) {
        lastTyping = Date.now();
        send({ type: "typing" });
      }
    });
  }

  // The log's height changes after the history is drawn (the header wraps, a notice appears, the phone's
  // toolbar hides), and so do the messages' (a font arrives, the text reflows): a reader at the newest
  // message stays there. Reflowing messages send no scroll event, so the list is observed too.
  let atBottom = true;
  log.addEventListener("scroll", () => { atBottom = nearBottom(); });
  const stayAtNewest = new ResizeObserver(() => { if (atBottom) log.scrollTop = log.scrollHeight; });
  stayAtNewest.observe(log);
  stayAtNewest.observe(list);

  older.addEventListener("click", loadOlder);
  log.addEventListener("scroll", () => { if (log.scrollTop < 40 && !older.hidden) loadOlder(); });
  let loadingOlder = false;
  async function loadOlder() {
    if (loadingOlder || firstSeq === null) return;
    loadingOlder = true;
    const height = log.scrollHeight;
    const response = await fetch(`${root.dataset.historyUrl}?before=${firstSeq}`, { credentials: "same-origin" });
    if (response.ok) {
      const data = await response.json();
      data.messages.forEach((m) => insert(m, false));
      older.hidden = !data.more;
      log.scrollTop = log.scrollHeight - height;
    }
    loadingOlder = false;
  }
  document.addEventListener("visibilitychange", markRead);
  // The path asks for what came after our last seq. A heartbeat every 15 s; three of them without a
  // word from the server is a half-open connection, not a quiet room.
  const connection = liveSocket(() => `/ws/chat/${root.dataset.room}/${lastSeq === null ? "" : `?after=${lastSeq}`}`, {
    onMessage: onFrame,
    onOpen: pump,
    onState(name) {
      setState(name);
      if (name === "connecting") behindSeq = null;
    },
    // Signed out: nothing to send with, and no "Connected" or "Offline" either.
    onSessionEnd() {
      state.hidden = true;
      if (input) input.disabled = true;
    },
    // Still signed in but the account changed (suspended): the page shows the notice instead of the
    // composer. Typed messages still queued would be refused anyway.
    onAccountChanged: () => location.reload(),
    heartbeat: 15000,
    silentBeats: 3,
    backoff: 500,
    maxBackoff: 15000,
  });
}
