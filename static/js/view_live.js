// Live views (list, calendar, roadmap, stats; the kanban has live.js): follows the project's
// event stream like the board does and, when a card or column of the project changes from
// elsewhere, fetches the view again as its htmx fragment (the address bar's URL, so the
// sort, grouping, month and scope stay) and swaps it into #view-live. Events a moment apart
// make one fetch. Nothing is swapped while the reader is busy in the view — a field or an
// open select has the focus, a chip is being dragged, one of the view's own requests is on
// its way (an answer begun before one is thrown away) — the refresh waits for that to end.
// Checked rows of the list stay checked, and a bulk action or any field changed but not
// yet sent keeps its value: those can last long, so the view refreshes around them.
(() => {
  const root = document.getElementById("view-live");
  if (!root || !window.EventSource || !window.htmx) return;

  const CHANGES = ["card.created", "card.updated", "card.moved", "card.archived", "card.unarchived",
    "card.deleted", "column.created", "column.updated", "column.moved", "column.deleted",
    "board.changed", "reset"];
  const DEBOUNCE_MS = 300;
  const BUSY_RETRY_MS = 250;

  // The view's own requests in flight (a row saved, a drop, a sort), and how many were ever
  // sent; the page's other requests (the notification bell) do not hold the view back.
  const inFlight = new Set();
  let sent = 0;
  document.addEventListener("htmx:beforeSend", (event) => {
    if (!root.contains(event.detail.elt)) return;
    const xhr = event.detail.xhr;
    sent += 1;
    inFlight.add(xhr);
    xhr.addEventListener("loadend", () => {
      inFlight.delete(xhr);
      schedule(0);
    });
  });

  // Fields one types in or picks from; a checked box or a pressed button is no typing (the
  // boxes are kept instead, see `remember`).
  const TYPED = "select, textarea, "
    + "input:not([type=checkbox], [type=radio], [type=button], [type=submit], [type=reset])";

  function busy() {
    const active = document.activeElement;
    const editing = active && root.contains(active) && active.matches(TYPED);
    return editing || inFlight.size > 0 || Boolean(root.querySelector(".drag-chosen, .sortable-chosen"));
  }
  // A field left or a drag ended lets a waiting refresh run at once.
  root.addEventListener("focusout", () => schedule(0));
  document.addEventListener("pointerup", () => schedule(0));

  let pending = false;
  let timer = null;
  let running = false;
  let failures = 0;

  function schedule(delay = DEBOUNCE_MS) {
    if (pending && timer === null && !running) timer = setTimeout(run, delay);
  }

  async function run() {
    timer = null;
    if (busy()) {
      timer = setTimeout(run, BUSY_RETRY_MS);
      return;
    }
    running = true;
    pending = false;
    let done = false;
    try {
      done = await refresh(sent);
      failures = 0;
    } catch (error) {
      failures += 1;
    } finally {
      running = false;
      if (!done) pending = true;
      schedule(failures ? Math.min(30000, 500 * 2 ** failures) : 0);
    }
  }

  // Returns false when the answer is outdated or the reader became busy meanwhile.
  async function refresh(sentBefore) {
    const response = await fetch(window.location.href,
      { headers: { "HX-Request": "true" }, cache: "no-store" });
    if (response.status === 401) {
      window.location.reload(); // signed out: the page takes the reader to the login form
      return true;
    }
    if (response.status === 404) return stop("This board is no longer available.");
    // A view answers 400 with its fragment and the reason for a query it could not use
    // (a bad month, say), as the page itself did.
    if (!response.ok && response.status !== 400) throw new Error(`refresh answered ${response.status}`);
    const html = await response.text();
    if (sent !== sentBefore || busy()) return false;
    const kept = remember();
    htmx.swap(root, html, { swapStyle: "innerHTML", ignoreTitle: true });
    restore(kept);
    return true;
  }

  // The reader's choices that no request has carried yet: checked rows, a bulk action being
  // set up. Keyed by the field's form (or nearest id), name and, for boxes, value.
  function keyOf(field) {
    const holder = field.form?.id || field.closest("[id]")?.id || "";
    const box = field.type === "checkbox" || field.type === "radio";
    return `${holder}|${field.name}|${box ? field.value : ""}`;
  }

  // The list's "check every card" box is left out: list_view.js sets it from the rows.
  function fields() {
    return root.querySelectorAll(
      "input:not([type=hidden]):not([data-check-all])[name], select[name], textarea[name]");
  }

  function changed(field) {
    if (field.tagName === "SELECT") {
      return [...field.options].some((option) => option.selected !== option.defaultSelected);
    }
    return field.value !== field.defaultValue;
  }

  // Boxes are all kept as they are: a row answered after an edit comes back checked as it
  // was, which the view fetched afresh does not know.
  function remember() {
    const kept = new Map();
    fields().forEach((field) => {
      if (field.type === "checkbox" || field.type === "radio") kept.set(keyOf(field), field.checked);
      else if (changed(field)) kept.set(keyOf(field), field.value);
    });
    return { kept, scroll: [window.scrollX, window.scrollY] };
  }

  function restore({ kept, scroll }) {
    let box = null;
    fields().forEach((field) => {
      const key = keyOf(field);
      if (!kept.has(key)) return;
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = kept.get(key);
        box = field;
      } else {
        field.value = kept.get(key);
      }
    });
    window.scrollTo(...scroll);
    // The list counts its checked rows on a box's change (static/js/list_view.js); a box
    // sends no request of its own.
    box?.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // The stream (static/js/live_stream.js) ------------------------------------------------

  const stream = window.followProjectEvents(root.dataset.liveEvents, root.dataset.since, CHANGES, () => {
    pending = true;
    schedule();
  });
  const stop = (message) => stream.stop(message);
})();
