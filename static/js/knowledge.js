// The knowledge pages: documents dragged around the tree (SortableJS; the server answers the
// tree as saved, so a refused move snaps back), and on a document page the parts that follow
// the editor's saves (revisions, review panel) and "Done" waiting for the last save.
(() => {
  // The tree -------------------------------------------------------------------------------
  function dropped(event) {
    const tree = event.item.closest("#doc-tree");
    if (!tree || event.from === event.to) return;
    htmx.ajax("POST", tree.dataset.moveUrl, {
      source: tree, target: "#doc-tree", swap: "outerHTML",
      values: { document_id: event.item.dataset.id, parent_id: event.to.dataset.parentId || "" },
    });
  }

  function makeSortable(list) {
    if (typeof Sortable === "undefined" || Sortable.get(list)) return;
    Sortable.create(list, {
      group: "doc-tree", draggable: ".doc-node", handle: ".doc-node-row", filter: "a",
      preventOnFilter: false, animation: 120, fallbackOnBody: true, swapThreshold: 0.6,
      emptyInsertThreshold: 12, ghostClass: "drag-ghost",
      onStart: () => document.body.classList.add("doc-dragging"),
      onEnd: (event) => {
        document.body.classList.remove("doc-dragging");
        dropped(event);
      },
    });
  }

  // A document page ---------------------------------------------------------------------
  function refresh(selector) {
    const part = document.querySelector(selector);
    if (part && part.dataset.refreshUrl) {
      htmx.ajax("GET", part.dataset.refreshUrl, { target: selector, swap: "outerHTML" });
    }
  }

  // After a save: a new revision to list; the review panel only when the status moved (an
  // approved document edited goes back to draft), so notes being typed there are kept.
  document.addEventListener("stellary-editor:saved", (event) => {
    const answer = event.detail || {};
    refresh("#doc-revisions");
    const number = document.getElementById("doc-revision");
    if (number && answer.revision !== undefined) number.textContent = answer.revision;
    const badge = document.getElementById("doc-status");
    if (badge && answer.status && badge.dataset.status !== answer.status) {
      badge.dataset.status = answer.status;
      badge.className = `badge doc-status status-${answer.status}`;
      badge.textContent = answer.statusLabel || answer.status;
      refresh("#doc-review");
    }
  });

  // "Done" leaves the editor only once what was typed is saved.
  document.addEventListener("htmx:confirm", (event) => {
    const trigger = event.detail.elt;
    if (!trigger.matches || !trigger.matches("[data-editor-done]") || !window.StellaryEditor) return;
    const element = trigger.closest("#doc-main")?.querySelector("[data-stellary-editor]");
    const handle = element && StellaryEditor.get(element);
    if (!handle) return;
    event.preventDefault();
    handle.flush().then((saved) => {
      if (saved) event.detail.issueRequest(true);
    });
  });

  // A spreadsheet grid shows that it has unsaved cells.
  document.addEventListener("input", (event) => {
    const form = event.target.closest("#doc-grid");
    const status = form && form.querySelector(".se-status");
    if (status) {
      status.dataset.state = "unsaved";
      status.textContent = "Unsaved changes";
    }
  });

  htmx.onLoad((root) => {
    if (!root.querySelectorAll) return;
    const lists = [...root.querySelectorAll("#doc-tree .doc-children")];
    if (root.matches && root.matches("#doc-tree .doc-children")) lists.push(root);
    lists.forEach(makeSortable);
  });
})();
