// The board page: drag and drop of cards and columns (SortableJS), each drop saved at once
// through htmx; the server answers the columns as saved, so a refused move snaps back.
// Keyboard: `n` opens the new-card form of the column under the pointer (or focused).
(() => {
  const columnsBox = () => document.getElementById("board-columns");

  // The filter the columns were rendered with travels with every change.
  function filterValues() {
    const values = {};
    new URLSearchParams(columnsBox()?.dataset.filter || "").forEach((value, name) => {
      values[name] = value;
    });
    return values;
  }

  function neighbour(item, direction) {
    let node = item[direction];
    while (node && !node.classList.contains("card-tile")) node = node[direction];
    return node ? node.dataset.cardId : "";
  }

  // Cards are placed by their neighbours, not by index: the column may be filtered or
  // only partly loaded.
  function cardDropped(event) {
    if (event.from === event.to && event.oldIndex === event.newIndex) return;
    const item = event.item;
    const url = columnsBox().dataset.cardMoveUrl.replace("CARD_ID", item.dataset.cardId);
    htmx.ajax("POST", url, {
      source: event.to,
      swap: "none",
      values: {
        ...filterValues(),
        column_id: event.to.dataset.columnId,
        after_id: neighbour(item, "previousElementSibling"),
        before_id: neighbour(item, "nextElementSibling"),
        version: item.dataset.version || "",
      },
    });
  }

  function columnDropped(event) {
    if (event.oldDraggableIndex === event.newDraggableIndex) return;
    htmx.ajax("POST", event.item.dataset.moveUrl, {
      source: event.item,
      target: "#board-columns",
      swap: "outerHTML",
      values: { ...filterValues(), order: event.newDraggableIndex },
    });
  }

  function makeSortable(element) {
    if (Sortable.get(element)) return;
    if (element.dataset.sortable === "cards") {
      Sortable.create(element, {
        group: "cards", draggable: ".card-tile", animation: 120,
        ghostClass: "drag-ghost", chosenClass: "drag-chosen", onEnd: cardDropped,
      });
    } else if (element.dataset.sortable === "columns") {
      Sortable.create(element, {
        draggable: ".board-column", handle: ".column-header", filter: ".column-menu",
        preventOnFilter: false, animation: 150, ghostClass: "drag-ghost", onEnd: columnDropped,
      });
    }
  }

  htmx.onLoad((root) => {
    if (typeof Sortable === "undefined") return;
    if (root.matches?.("[data-sortable]")) makeSortable(root);
    root.querySelectorAll?.("[data-sortable]").forEach(makeSortable);
  });

  // `n`: the column last pointed at or focused, else the first one.
  let currentColumnId = null;
  const remember = (event) => {
    const column = event.target.closest?.(".board-column");
    if (column) currentColumnId = column.id;
  };
  document.addEventListener("mouseover", remember);
  document.addEventListener("focusin", remember);

  const typing = (element) => element.isContentEditable ||
    Boolean(element.closest?.("input, textarea, select, [contenteditable]"));

  document.addEventListener("keydown", (event) => {
    const box = columnsBox();
    if (!box) return;
    const form = event.target.closest?.("details.add-card");
    if (event.key === "Escape" && form) {
      form.open = false;
      form.querySelector("summary").focus();
      return;
    }
    if (event.key !== "n" || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (typing(event.target)) return;
    const column = document.getElementById(currentColumnId) || box.querySelector(".board-column");
    const details = column?.querySelector("details.add-card");
    if (!details) return;
    event.preventDefault();
    details.open = true;
    details.querySelector("input[name=title]").focus();
  });
})();
