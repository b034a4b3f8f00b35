// Live board: follows the project's event stream (Server-Sent Events, see app/live/) and,
// when a card or column changes from elsewhere (another person, or this person in another
// tab), fetches the board's columns again and swaps in those that changed. What the reader
// is doing is kept: open forms with what was typed, the focus, scroll positions. Nothing is
// swapped during a drag or while one of this page's own requests is on its way (a refresh
// begun before such a request is thrown away and done again after it). The card panel
// reloads when its card changed, unless something is being typed there.
(() => {
  const meta = document.querySelector('meta[name="live-events"]');
  if (!meta || !window.EventSource || !window.htmx) return;

  const CARD_EVENTS = ["card.created", "card.updated", "card.moved", "card.archived",
    "card.unarchived", "card.deleted"];
  const BOARD_EVENTS = ["column.created", "column.updated", "column.moved", "column.deleted",
    "board.changed", "reset"];
  const boardUrl = meta.dataset.boardUrl;

  // This page's own requests in flight, and how many were ever sent.
  const inFlight = new Set();
  let sent = 0;
  document.addEventListener("htmx:beforeSend", (event) => {
    const xhr = event.detail.xhr;
    sent += 1;
    inFlight.add(xhr);
    xhr.addEventListener("loadend", () => {
      inFlight.delete(xhr);
      schedule();
    });
  });

  const dragging = () => Boolean(document.querySelector(".drag-chosen, .sortable-chosen"));

  // What is waiting to be refreshed.
  let pending = { board: false, columns: new Set(), cards: new Set(), panel: false };
  let timer = null;
  let running = false;
  let failures = 0;

  const hasWork = () => pending.board || pending.panel || pending.columns.size > 0;

  function schedule(delay = 50) {
    if (timer === null && !running && hasWork()) timer = setTimeout(run, delay);
  }

  function take() {
    const job = pending;
    pending = { board: false, columns: new Set(), cards: new Set(), panel: false };
    return job;
  }

  function putBack(job) {
    pending.board ||= job.board;
    pending.panel ||= job.panel;
    job.columns.forEach((id) => pending.columns.add(id));
    job.cards.forEach((id) => pending.cards.add(id));
  }

  async function run() {
    timer = null;
    if (dragging() || inFlight.size > 0) {
      timer = setTimeout(run, 250);
      return;
    }
    running = true;
    const job = take();
    let done = false;
    try {
      done = (await refreshBoard(job, sent)) && (await refreshPanel(job, sent));
      failures = 0;
    } catch (error) {
      failures += 1;
    } finally {
      running = false;
      if (!done) putBack(job);
      schedule(failures ? Math.min(30000, 500 * 2 ** failures) : 50);
    }
  }

  async function fetchFragment(url) {
    const response = await fetch(url, { headers: { "HX-Request": "true" }, cache: "no-store" });
    if (response.status === 401) {
      window.location.reload(); // signed out: the page takes the reader to the login form
      return null;
    }
    if (response.status === 404) return { missing: true };
    return { html: await response.text() };
  }

  // Returns false when the answer is outdated (this page sent a request meanwhile).
  async function refreshBoard(job, sentBefore) {
    const box = document.getElementById("board-columns");
    if (!box || (!job.board && job.columns.size === 0)) return true;
    const filter = box.dataset.filter;
    const answer = await fetchFragment(boardUrl + (filter ? `?${filter}` : ""));
    if (answer === null) return true;
    if (answer.missing) return stop("This board is no longer available.");
    if (sent !== sentBefore || inFlight.size > 0 || dragging()) return false;
    const fresh = new DOMParser().parseFromString(answer.html, "text/html").getElementById("board-columns");
    const current = document.getElementById("board-columns");
    if (!fresh || !current) return true;
    const pairs = [...job.columns].map((id) => [document.getElementById(`column-${id}`),
      fresh.querySelector(`#column-${CSS.escape(id)}`)]);
    if (job.board || pairs.some(([old, now]) => Boolean(old) !== Boolean(now))) {
      swapKeeping(current, fresh);
    } else {
      pairs.filter(([old, now]) => old && now).forEach(([old, now]) => swapKeeping(old, now));
    }
    return true;
  }

  async function refreshPanel(job, sentBefore) {
    const panel = document.getElementById("card-panel");
    const cardId = panel?.querySelector("[data-card-id]")?.dataset.cardId;
    if (!cardId || !(job.panel || job.cards.has(cardId))) return true;
    if (typing(panel)) {
      offerReload(panel);
      return true;
    }
    const answer = await fetchFragment(`${boardUrl}/cards/${cardId}`);
    if (answer === null) return true;
    if (sent !== sentBefore || inFlight.size > 0) return false;
    const shown = panel.querySelector("[data-card-id]")?.dataset.cardId;
    if (shown !== cardId) return true; // the reader opened another card meanwhile
    if (answer.missing) {
      panel.replaceChildren(notice("This card was deleted or is no longer within your reach."));
      return true;
    }
    const kept = remember(panel);
    htmx.swap(panel, answer.html, { swapStyle: "innerHTML", ignoreTitle: true });
    restore(panel, kept);
    return true;
  }

  // True when the reader is writing in `root`: a field holds what was typed and not saved.
  function typing(root) {
    const fields = root.querySelectorAll("input:not([type=hidden]), textarea");
    return [...fields].some((field) => (field.type === "checkbox" || field.type === "radio"
      ? field.checked !== field.defaultChecked : field.value !== field.defaultValue));
  }

  function notice(text, button) {
    const box = document.createElement("div");
    box.className = "flash live-notice"; // styled as the page's messages
    box.setAttribute("role", "status");
    box.textContent = text;
    if (button) box.append(" ", button);
    return box;
  }

  function offerReload(panel) {
    if (panel.querySelector(".live-notice")) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link";
    button.textContent = "Show the new version";
    button.addEventListener("click", () => {
      panel.querySelector(".live-notice")?.remove();
      pending.panel = true;
      panel.querySelectorAll("form").forEach((form) => form.reset());
      document.activeElement?.blur();
      schedule(0);
    });
    panel.prepend(notice("Someone else changed this card.", button));
  }

  // Swapping while keeping the reader's state --------------------------------------------

  // A name for an element that survives a re-render: its id, or its container's id with its
  // tag, first class and form name.
  function keyOf(element) {
    if (element.id) return `#${element.id}`;
    const holder = element.parentElement?.closest("[id]");
    return `${holder ? holder.id : ""}|${element.tagName}.${element.classList[0] || ""}|${element.name || ""}`;
  }

  const KEPT = "details, input:not([type=hidden]), textarea, select, .card-list, .board-track";

  function remember(root) {
    const state = { open: new Set(), values: new Map(), scroll: new Map(), focus: null };
    root.querySelectorAll(KEPT).forEach((element) => {
      const key = keyOf(element);
      if (element.tagName === "DETAILS") {
        if (element.open) state.open.add(key);
      } else if ("value" in element && element.closest("details[open]")) {
        state.values.set(key, element.value);
      } else if (element.scrollTop || element.scrollLeft) {
        state.scroll.set(key, [element.scrollTop, element.scrollLeft]);
      }
    });
    const active = document.activeElement;
    if (active && active !== document.body && root.contains(active)) {
      state.focus = { key: keyOf(active), start: active.selectionStart, end: active.selectionEnd };
    }
    return state;
  }

  function restore(root, state) {
    root.querySelectorAll(KEPT).forEach((element) => {
      const key = keyOf(element);
      if (element.tagName === "DETAILS" && state.open.has(key)) element.open = true;
      if (state.values.has(key)) element.value = state.values.get(key);
      if (state.scroll.has(key)) [element.scrollTop, element.scrollLeft] = state.scroll.get(key);
      if (state.focus && state.focus.key === key) {
        element.focus({ preventScroll: true });
        if (state.focus.start !== null && element.setSelectionRange) {
          try { element.setSelectionRange(state.focus.start, state.focus.end); } catch (error) { /* not a text field */ }
        }
      }
    });
  }

  function swapKeeping(target, fresh) {
    const id = target.id;
    const parent = target.parentElement;
    const kept = remember(parent);
    htmx.swap(target, fresh.outerHTML, { swapStyle: "outerHTML", ignoreTitle: true });
    restore(document.getElementById(id)?.parentElement || parent, kept);
  }

  // The stream (static/js/live_stream.js) ------------------------------------------------

  function received(event) {
    if (BOARD_EVENTS.includes(event.type)) {
      pending.board = true;
      pending.panel = pending.panel || event.type === "reset";
    } else {
      (event.columnIds || []).forEach((id) => pending.columns.add(id));
      if (event.cardId) pending.cards.add(event.cardId);
    }
    schedule();
  }

  const stream = window.followProjectEvents(meta.content, meta.dataset.since,
    [...CARD_EVENTS, ...BOARD_EVENTS], received);
  const stop = (message) => stream.stop(message);
})();
