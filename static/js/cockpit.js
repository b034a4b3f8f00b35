// The cockpit page: missions dragged to another status column (a blocked one asks why) and
// priorities dragged to a new rank (SortableJS), each drop saved at once through htmx. The
// server answers the state as saved, so a refused change snaps back.
(() => {
  // The view in use (the switchers) travels with every change, so the answer matches it.
  function viewValues() {
    const values = {};
    const form = document.getElementById("cockpit-view");
    if (form) new FormData(form).forEach((value, name) => { if (value) values[name] = value; });
    return values;
  }

  function save(url, source, values) {
    htmx.ajax("POST", url, {
      source, target: "#cockpit-state", swap: "outerHTML", values: { ...viewValues(), ...values },
    });
  }

  // Put the page back as the server has it (a drop the user took back).
  function reload() {
    htmx.ajax("GET", window.location.pathname + window.location.search,
      { target: "#cockpit-state", swap: "outerHTML" });
  }

  function missionDropped(event) {
    if (event.from === event.to) return;
    const status = event.to.dataset.status;
    const values = { status, dragged: "1" };
    if (status === "blocked") {
      const reason = window.prompt("Why is this mission blocked? (optional)");
      if (reason === null) {
        reload();
        return;
      }
      values.blocked_reason = reason;
    }
    save(event.item.dataset.updateUrl, event.item, values);
  }

  function priorityDropped(event) {
    if (event.oldDraggableIndex === event.newDraggableIndex) return;
    save(event.item.dataset.rankUrl, event.item, { rank: event.newDraggableIndex + 1 });
  }

  function makeSortable(element) {
    if (Sortable.get(element)) return;
    if (element.dataset.sortable === "missions") {
      Sortable.create(element, {
        group: "missions", sort: false, draggable: ".mission-tile", filter: "details, input, select, button",
        preventOnFilter: false, animation: 120, ghostClass: "drag-ghost", onEnd: missionDropped,
      });
    } else if (element.dataset.sortable === "priorities") {
      Sortable.create(element, {
        draggable: ".priority", filter: "form, button", preventOnFilter: false, animation: 120,
        ghostClass: "drag-ghost", onEnd: priorityDropped,
      });
    }
  }

  htmx.onLoad((root) => {
    if (typeof Sortable === "undefined") return;
    if (root.matches?.("[data-sortable]")) makeSortable(root);
    root.querySelectorAll?.("[data-sortable]").forEach(makeSortable);
  });
})();
