// The card panel beside the board (templates/cards/_panel.html). Esc or the close button
// closes it and puts the board's address back; the server closes it after an archive or a
// delete (event "card-panel-close"). Checklist items reorder by drag (SortableJS), each drop
// saved at once. The panel's changes carry the board's filter, so the columns they
// re-render show the cards the board shows. The panel loads this file each time it is
// swapped in; it sets itself up once.
(() => {
  if (window.stellaryCardPanel) return;
  window.stellaryCardPanel = true;

  const panel = () => document.getElementById("card-panel");
  const shownCard = () => panel()?.querySelector(".card-detail");

  function close() {
    const card = shownCard();
    if (!card) return;
    const filter = document.getElementById("board-columns")?.dataset.filter;
    const boardUrl = card.dataset.boardUrl + (filter ? `?${filter}` : "");
    const tile = document.querySelector(`#card-${CSS.escape(card.dataset.cardId)} .card-title`);
    panel().replaceChildren();
    if (window.location.pathname + window.location.search !== boardUrl) {
      history.replaceState({ htmx: true }, "", boardUrl);
    }
    tile?.focus({ preventScroll: true });
  }

  document.addEventListener("card-panel-close", close);

  document.addEventListener("click", (event) => {
    if (!event.target.closest?.("[data-card-panel-close]") || !shownCard()) return;
    event.preventDefault();
    close();
  });

  // Esc: first closes an open "Delete…" step, or undoes what was typed in a field of the
  // panel; then closes the panel.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented || event.isComposing || !shownCard()) return;
    const target = event.target;
    if (target.closest?.("details.add-card")) return; // the board's own new-card form
    const step = target.closest?.("#card-panel details[open]");
    if (step) {
      step.open = false;
      step.querySelector("summary").focus();
      return;
    }
    const typed = target.closest?.("#card-panel") && target.matches("input[type=text], textarea") &&
      target.value !== target.defaultValue;
    if (typed) {
      target.value = target.defaultValue;
      return;
    }
    event.preventDefault();
    close();
  });

  // A change made in the panel answers the board's columns filtered as the board shows them.
  document.addEventListener("htmx:configRequest", (event) => {
    if (event.detail.verb === "get" || !event.detail.elt.closest?.("#card-panel")) return;
    const filter = document.getElementById("board-columns")?.dataset.filter;
    new URLSearchParams(filter || "").forEach((value, name) => {
      event.detail.parameters[name] = value;
    });
  });

  function itemDropped(event) {
    if (event.oldDraggableIndex === event.newDraggableIndex) return;
    htmx.ajax("POST", event.item.dataset.url, {
      source: event.item,
      target: "#panel-checklist",
      swap: "outerHTML",
      values: { change: "order", order: event.newDraggableIndex },
    });
  }

  function makeSortable(list) {
    if (typeof Sortable === "undefined" || Sortable.get(list)) return;
    Sortable.create(list, {
      handle: ".checklist-handle", draggable: ".checklist-item", animation: 120,
      ghostClass: "drag-ghost", chosenClass: "drag-chosen", onEnd: itemDropped,
    });
  }

  function setUp(root) {
    if (root.matches?.("[data-checklist-sortable]")) makeSortable(root);
    root.querySelectorAll?.("[data-checklist-sortable]").forEach(makeSortable);
  }

  // This file runs after htmx loaded the panel that brought it: set up what is there now.
  setUp(document);
  htmx.onLoad(setUp);
})();
