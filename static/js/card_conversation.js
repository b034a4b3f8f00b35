// The conversation in the card panel (templates/cards/_comments.html, _attachments.html).
// Comment fields suggest the people to mention after an `@` (↑/↓ choose, Enter or Tab
// picks, Esc closes the list and leaves the panel open); Ctrl+Enter posts. A file dropped on
// the panel, or chosen in the file field, is uploaded through the attachments form (htmx,
// so the CSRF header goes with it) with a progress bar; a file over the limit is refused
// before it is sent. The panel loads this file with its sections; it sets itself up once.
(() => {
  if (window.stellaryCardConversation) return;
  window.stellaryCardConversation = true;

  // Mentions ------------------------------------------------------------------------------

  const TOKEN = /(^|[^\w@])@([A-Za-z0-9._-]*)$/;
  let list = null; // the open suggestions: { field, box, people, active, start }
  let timer = null;
  let asked = 0;

  // The `@handle` being typed just before the caret, if any.
  function tokenAt(field) {
    const before = field.value.slice(0, field.selectionStart);
    const match = TOKEN.exec(before);
    return match ? { start: before.length - match[2].length - 1, typed: match[2] } : null;
  }

  function closeList() {
    if (!list) return;
    list.box.remove();
    list.field.removeAttribute("aria-controls");
    list.field.removeAttribute("aria-activedescendant");
    list = null;
  }

  function showList(field, token, people) {
    closeList();
    if (!people.length) return;
    const box = document.createElement("ul");
    box.id = `${field.id}-mentions`;
    box.className = "mention-list";
    box.setAttribute("role", "listbox");
    box.setAttribute("aria-label", "People to mention");
    people.forEach((person, index) => {
      const option = document.createElement("li");
      option.id = `${box.id}-${index}`;
      option.setAttribute("role", "option");
      const handle = document.createElement("span");
      handle.className = "muted";
      handle.textContent = `@${person.handle}`;
      option.append(`${person.name} `, handle);
      // mousedown, not click: the field keeps the focus and its caret.
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        pick(index);
      });
      box.append(option);
    });
    field.after(box);
    field.setAttribute("aria-controls", box.id);
    list = { field, box, people, active: 0, start: token.start };
    highlight(0);
  }

  function highlight(index) {
    const options = list.box.querySelectorAll("[role=option]");
    list.active = (index + options.length) % options.length;
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === list.active)));
    list.field.setAttribute("aria-activedescendant", options[list.active].id);
  }

  function pick(index) {
    const { field, people, start } = list;
    field.setRangeText(`@${people[index].handle} `, start, field.selectionStart, "end");
    closeList();
    field.focus();
  }

  async function suggest(field) {
    const token = tokenAt(field);
    if (!token) {
      closeList();
      return;
    }
    const mine = ++asked;
    const response = await fetch(`${field.dataset.mentions}?q=${encodeURIComponent(token.typed)}`,
      { headers: { Accept: "application/json" } });
    if (mine !== asked || !response.ok || document.activeElement !== field) return;
    showList(field, token, await response.json());
  }

  document.addEventListener("input", (event) => {
    const field = event.target.closest?.("textarea[data-mentions]");
    if (!field) return;
    clearTimeout(timer);
    timer = setTimeout(() => suggest(field), 120);
  });

  // Captured, so the panel's own Esc (close the panel) does not see a handled key.
  document.addEventListener("keydown", (event) => {
    const field = event.target.closest?.("textarea[data-mentions]");
    if (!field || event.isComposing) return;
    if (list && list.field === field) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        highlight(list.active + (event.key === "ArrowDown" ? 1 : -1));
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        pick(list.active);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        closeList();
        return;
      }
    }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      field.form.requestSubmit();
    }
  }, true);

  document.addEventListener("focusout", (event) => {
    if (list && event.target === list.field) closeList();
  });

  // Uploads -------------------------------------------------------------------------------

  const uploadForm = () => document.querySelector("#panel-attachments form.attachment-upload");
  const dropZone = (event) => event.target.closest?.("#card-panel .card-detail");
  const carriesFiles = (event) => [...(event.dataTransfer?.types || [])].includes("Files");

  function refuse(form, message) {
    form.querySelector("[data-upload-error]").textContent = message;
    form.querySelector(".upload-status").textContent = "";
  }

  function send(file) {
    const form = uploadForm();
    if (!form) return;
    const input = form.querySelector("[data-upload-input]");
    if (file.size > Number(form.dataset.maxBytes)) {
      input.value = "";
      refuse(form, form.dataset.tooLarge);
      return;
    }
    if (input.files[0] !== file) {
      const carrier = new DataTransfer();
      carrier.items.add(file);
      input.files = carrier.files;
    }
    form.querySelector("[data-upload-error]").textContent = "";
    form.requestSubmit();
  }

  document.addEventListener("change", (event) => {
    const input = event.target.closest?.("#panel-attachments [data-upload-input]");
    if (input && input.files.length) send(input.files[0]);
  });

  document.addEventListener("dragover", (event) => {
    const zone = dropZone(event);
    if (!zone || !carriesFiles(event) || !uploadForm()) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    zone.classList.add("drop-target");
  });

  document.addEventListener("dragleave", (event) => {
    const zone = dropZone(event);
    if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove("drop-target");
  });

  document.addEventListener("drop", (event) => {
    const zone = dropZone(event);
    if (!zone || !carriesFiles(event)) return;
    event.preventDefault(); // the browser would open the file instead
    zone.classList.remove("drop-target");
    const form = uploadForm();
    if (!form) return;
    const files = event.dataTransfer.files;
    if (files.length !== 1) {
      refuse(form, "Drop one file at a time.");
      return;
    }
    form.scrollIntoView({ block: "nearest" });
    send(files[0]);
  });

  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt;
    if (!form.matches?.("form.attachment-upload")) return;
    const bar = form.querySelector(".upload-progress");
    bar.value = 0;
    bar.hidden = false;
    const file = form.querySelector("[data-upload-input]").files[0];
    form.querySelector(".upload-status").textContent = file ? `Uploading ${file.name}…` : "Uploading…";
  });

  // htmx reports the upload's progress, then the answer's: the bar only moves forward.
  document.addEventListener("htmx:xhr:progress", (event) => {
    const form = event.target.closest?.("form.attachment-upload");
    if (!form || !event.detail.lengthComputable || !event.detail.total) return;
    const bar = form.querySelector(".upload-progress");
    bar.value = Math.max(bar.value, Math.round((100 * event.detail.loaded) / event.detail.total));
  });

  document.addEventListener("htmx:sendError", (event) => {
    const form = event.detail.elt;
    if (form.matches?.("form.attachment-upload")) {
      form.querySelector(".upload-progress").hidden = true;
      refuse(form, "The upload did not reach the server. Try again.");
    }
  });
})();
