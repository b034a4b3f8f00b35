// The calendar view: drag a card chip to a day (or to the "No due date" tray) and its new due
// date is saved at once through htmx; the server answers the month as saved, so a refused
// drop snaps back with the reason. Without JavaScript the chips are plain links.
(() => {
  function dropped(event) {
    if (event.from === event.to) return;
    const board = document.getElementById("calendar-board");
    const chip = event.item;
    // An answer that replaces the month (saved, or refused with the reason) puts every chip
    // where it is saved; any other (the card is gone, the session expired...) leaves the page
    // as it was, so the chip goes back where it came from.
    const snapBack = () => {
      if (board.isConnected) event.from.insertBefore(chip, event.from.children[event.oldIndex] || null);
    };
    htmx.ajax("POST", board.dataset.dropUrl.replace("CARD_ID", chip.dataset.cardId), {
      source: board,
      target: "#calendar-board",
      swap: "outerHTML",
      values: {
        day: event.to.dataset.day,
        month: board.dataset.month,
        scope: board.dataset.scope,
        version: chip.dataset.version || "",
      },
    }).then(snapBack, snapBack);
  }

  function makeSortable(list) {
    if (Sortable.get(list)) return;
    // A day's chips keep the order of their due times: only moving between lists means something.
    Sortable.create(list, {
      group: "calendar-cards", sort: false, draggable: ".calendar-chip", animation: 120,
      ghostClass: "drag-ghost", chosenClass: "drag-chosen", onEnd: dropped,
    });
  }

  htmx.onLoad((root) => {
    if (typeof Sortable === "undefined") return;
    root.querySelectorAll?.(".calendar-cards").forEach(makeSortable);
  });
})();
