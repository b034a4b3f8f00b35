// The list view: "check every card", the count of checked cards next to the bulk
// actions, and Enter in a row's due date. The table is swapped whole by sorting, grouping and bulk actions, so the
// listeners are delegated from the document.
(() => {
  const rows = (root) => root.querySelectorAll('input[type=checkbox][name=card][form=list-bulk]');

  function refresh(root) {
    const boxes = [...rows(root)];
    const checked = boxes.filter((box) => box.checked).length;
    const count = root.querySelector("[data-checked-count]");
    if (count) count.textContent = checked;
    const all = root.querySelector("[data-check-all]");
    if (all) {
      all.hidden = boxes.length === 0;
      all.checked = boxes.length > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    }
  }

  document.addEventListener("change", (event) => {
    const root = event.target.closest("[data-list-view]");
    if (!root) return;
    if (event.target.matches("[data-check-all]")) {
      rows(root).forEach((box) => { box.checked = event.target.checked; });
    }
    refresh(root);
  });

  // Enter in a row's due date saves it like leaving the field does (the row posts itself on
  // focusout), instead of submitting the row's form as a whole page.
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches("tr.list-row input[type=date]")) {
      event.preventDefault();
      event.target.blur();
    }
  });

  document.addEventListener("htmx:afterSettle", () => {
    const root = document.querySelector("[data-list-view]");
    if (root) refresh(root);
  });
  document.addEventListener("DOMContentLoaded", () => {
    const root = document.querySelector("[data-list-view]");
    if (root) refresh(root);
  });
})();
