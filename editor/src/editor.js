// Stellary's rich-text editor: TipTap with a toolbar, "/" commands, @mentions and autosave.
//
// Built once into static/vendor/tiptap-<version>.min.js (see editor/README.md); pages load
// that file and never build anything. It exposes window.StellaryEditor:
//
//   StellaryEditor.mount(element, options?) -> handle   (idempotent per element)
//   StellaryEditor.unmount(element)
//   StellaryEditor.get(element) -> handle | undefined
//   handle.flush() -> Promise<boolean>   saves now if anything is unsaved; true when saved
//   handle.editor                        the TipTap editor
//
// Elements marked `data-stellary-editor` mount by themselves when htmx loads them (and on
// page load), and unmount when htmx removes them.
//
// The element holds:
//   <script type="application/json" data-editor-content>{...}</script>  the initial JSON
//     (or, without it, the value of the hidden input below)
//   <div data-editor-body></div>        where the editor goes (created when absent)
//   <span data-editor-status></span>    saved / unsaved / saving / error (created when absent)
// and sits in a <form> that carries:
//   <input type="hidden" name="content">            the JSON, rewritten on every change
//   <input type="hidden" name="expected_revision">  the revision the text started from
// plus any other fields (a title): changing them saves too.
//
// Saving posts the form (fetch, with the page's CSRF token) to its action, asking for JSON:
//   2xx {"revision": n, ...}                   saved; n becomes the expected revision
//   409 {"conflict": true, "message", "revision"}  someone else saved meanwhile: the user
//       chooses to reload their version or to overwrite it (a save expecting `revision`)
//   4xx/5xx {"message"}                        shown as the error; the next change retries
// The element receives the events `stellary-editor:saved` (detail: the answer) and
// `stellary-editor:conflict`.
//
// Options (or data- attributes of the element): autosave (ms after the last change, default
// 1500; 0 turns it off), placeholder, mentions (an array of {id, label}, or the id of a
// <script type="application/json"> holding it: data-mentions="members-json").
import { Editor, Extension } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { TaskItem, TaskList } from "@tiptap/extension-list";
import { Table, TableCell, TableHeader, TableRow } from "@tiptap/extension-table";
import Image from "@tiptap/extension-image";
import { Placeholder } from "@tiptap/extensions";
import Mention from "@tiptap/extension-mention";
import Suggestion from "@tiptap/suggestion";
import { PluginKey } from "@tiptap/pm/state";

const VERSION = __TIPTAP_VERSION__;
const SAFE_LINK = /^(https?:|mailto:|\/(?!\/)|#)/i;
const handles = new Map();

// Commands -------------------------------------------------------------------------------

// Every command of the toolbar and of the "/" menu. `run(chain)` gets a focused chain.
const COMMANDS = [
  { id: "paragraph", label: "Text", keywords: "paragraph plain", slash: true,
    run: (c) => c.setParagraph(), active: (e) => e.isActive("paragraph") },
  { id: "h1", label: "Heading 1", short: "H1", keywords: "title h1", slash: true, toolbar: true,
    run: (c) => c.toggleHeading({ level: 1 }), active: (e) => e.isActive("heading", { level: 1 }) },
  { id: "h2", label: "Heading 2", short: "H2", keywords: "subtitle h2", slash: true, toolbar: true,
    run: (c) => c.toggleHeading({ level: 2 }), active: (e) => e.isActive("heading", { level: 2 }) },
  { id: "h3", label: "Heading 3", short: "H3", keywords: "h3", slash: true, toolbar: true,
    run: (c) => c.toggleHeading({ level: 3 }), active: (e) => e.isActive("heading", { level: 3 }) },
  { id: "bold", label: "Bold", short: "B", keys: "Ctrl+B", toolbar: true, group: "marks",
    run: (c) => c.toggleBold(), active: (e) => e.isActive("bold") },
  { id: "italic", label: "Italic", short: "I", keys: "Ctrl+I", toolbar: true,
    run: (c) => c.toggleItalic(), active: (e) => e.isActive("italic") },
  { id: "strike", label: "Strikethrough", short: "S", keys: "Ctrl+Shift+S", toolbar: true,
    run: (c) => c.toggleStrike(), active: (e) => e.isActive("strike") },
  { id: "code", label: "Inline code", short: "</>", keys: "Ctrl+E", toolbar: true,
    run: (c) => c.toggleCode(), active: (e) => e.isActive("code") },
  { id: "link", label: "Link", short: "Link", keywords: "url href", slash: true, toolbar: true,
    special: "link", active: (e) => e.isActive("link") },
  { id: "bulletList", label: "Bullet list", short: "•", keywords: "ul unordered", slash: true, toolbar: true,
    group: "lists", run: (c) => c.toggleBulletList(), active: (e) => e.isActive("bulletList") },
  { id: "orderedList", label: "Numbered list", short: "1.", keywords: "ol ordered", slash: true, toolbar: true,
    run: (c) => c.toggleOrderedList(), active: (e) => e.isActive("orderedList") },
  { id: "taskList", label: "Task list", short: "☑", keywords: "todo checkbox", slash: true, toolbar: true,
    run: (c) => c.toggleTaskList(), active: (e) => e.isActive("taskList") },
  { id: "blockquote", label: "Quote", short: "❝", keywords: "blockquote citation", slash: true, toolbar: true,
    group: "blocks", run: (c) => c.toggleBlockquote(), active: (e) => e.isActive("blockquote") },
  { id: "codeBlock", label: "Code block", short: "{ }", keywords: "pre snippet", slash: true, toolbar: true,
    run: (c) => c.toggleCodeBlock(), active: (e) => e.isActive("codeBlock") },
  { id: "horizontalRule", label: "Divider", short: "―", keywords: "hr horizontal rule separator", slash: true,
    toolbar: true, run: (c) => c.setHorizontalRule() },
  { id: "table", label: "Table", short: "▦", keywords: "grid", slash: true, toolbar: true,
    run: (c) => c.insertTable({ rows: 3, cols: 3, withHeaderRow: true }) },
  { id: "undo", label: "Undo", short: "↶", keys: "Ctrl+Z", toolbar: true, group: "history",
    run: (c) => c.undo(), enabled: (e) => e.can().undo() },
  { id: "redo", label: "Redo", short: "↷", keys: "Ctrl+Shift+Z", toolbar: true,
    run: (c) => c.redo(), enabled: (e) => e.can().redo() },
];

// Shown while the cursor is in a table.
const TABLE_COMMANDS = [
  { id: "addRowAfter", label: "Add row", run: (c) => c.addRowAfter() },
  { id: "addColumnAfter", label: "Add column", run: (c) => c.addColumnAfter() },
  { id: "deleteRow", label: "Delete row", run: (c) => c.deleteRow() },
  { id: "deleteColumn", label: "Delete column", run: (c) => c.deleteColumn() },
  { id: "deleteTable", label: "Delete table", run: (c) => c.deleteTable() },
];

// Extensions -----------------------------------------------------------------------------

// Images come from attachments only (the server renders nothing else); keep their id.
const AttachmentImage = Image.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      attachmentId: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-attachment-id"),
        renderHTML: (attrs) => (attrs.attachmentId ? { "data-attachment-id": attrs.attachmentId } : {}),
      },
    };
  },
});

// Mentions say what they name; the server renders `kind` user as @name.
const KindMention = Mention.extend({
  addAttributes() {
    return { ...this.parent?.(), kind: { default: "user", renderHTML: () => ({}) } };
  },
});

// A small list under the cursor for "/" commands and @mentions, driven by the keyboard or
// the mouse. `describe(item)` gives its label and hint.
function suggestionMenu(describe, className) {
  return () => {
    let menu = null;
    let unmount = null;
    let items = [];
    let selected = 0;
    let choose = null;

    function draw() {
      menu.replaceChildren();
      if (!items.length) {
        const empty = document.createElement("div");
        empty.className = "se-menu-empty";
        empty.textContent = "No match";
        menu.append(empty);
        return;
      }
      items.forEach((item, index) => {
        const { label, hint } = describe(item);
        const option = document.createElement("button");
        option.type = "button";
        option.className = "se-menu-item";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", index === selected ? "true" : "false");
        option.textContent = label;
        if (hint) {
          const small = document.createElement("small");
          small.textContent = hint;
          option.append(small);
        }
        // mousedown: keep the editor's selection (a click would blur it first).
        option.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(item);
        });
        menu.append(option);
      });
    }

    function update(props) {
      items = props.items || [];
      selected = Math.min(selected, Math.max(items.length - 1, 0));
      choose = (item) => props.command(item);
      draw();
    }

    return {
      onStart(props) {
        menu = document.createElement("div");
        menu.className = `se-menu ${className}`;
        menu.setAttribute("role", "listbox");
        selected = 0;
        update(props);
        unmount = props.mount(menu);
      },
      onUpdate(props) {
        if (menu) update(props);
      },
      onKeyDown({ event }) {
        if (!menu) return false;
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          if (items.length) {
            selected = (selected + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
            draw();
          }
          return true;
        }
        if (event.key === "Enter" || event.key === "Tab") {
          if (items[selected]) {
            choose(items[selected]);
            return true;
          }
          return false;
        }
        return false;
      },
      onExit() {
        if (unmount) unmount();
        unmount = null;
        menu = null;
      },
    };
  };
}

function matches(command, query) {
  const q = query.trim().toLowerCase();
  return !q || command.label.toLowerCase().includes(q) || (command.keywords || "").includes(q);
}

// "/" at the start of a line or after a space opens the command menu.
function slashCommands(openLink) {
  return Extension.create({
    name: "slashCommands",
    addProseMirrorPlugins() {
      return [Suggestion({
        editor: this.editor,
        pluginKey: new PluginKey("slashCommands"),
        char: "/",
        items: ({ query }) => COMMANDS.filter((c) => c.slash && matches(c, query)),
        command: ({ editor, range, props: command }) => {
          editor.chain().focus().deleteRange(range).run();
          if (command.special === "link") openLink();
          else command.run(editor.chain().focus()).run();
        },
        render: suggestionMenu((c) => ({ label: c.label, hint: c.keys }), "se-slash"),
      })];
    },
  });
}

function mentionExtension(people) {
  return KindMention.configure({
    suggestion: {
      char: "@",
      items: ({ query }) => {
        const q = query.toLowerCase();
        return people.filter((p) => p.label.toLowerCase().includes(q)).slice(0, 8);
      },
      command: ({ editor, range, props: person }) => {
        editor.chain().focus().insertContentAt(range, [
          { type: "mention", attrs: { id: person.id, label: person.label, kind: "user" } },
          { type: "text", text: " " },
        ]).run();
      },
      render: suggestionMenu((p) => ({ label: p.label, hint: p.hint }), "se-mentions"),
    },
  });
}

// Mounting ---------------------------------------------------------------------------------

function readJson(text, fallback) {
  if (!text || !text.trim()) return fallback;
  try {
    return JSON.parse(text);
  } catch (error) {
    return fallback;
  }
}

function optionsOf(element, options) {
  const data = element.dataset;
  let mentions = options.mentions;
  if (mentions === undefined && data.mentions) {
    const source = document.getElementById(data.mentions);
    mentions = readJson(source ? source.textContent : data.mentions, []);
  }
  return {
    autosave: options.autosave ?? (data.autosave !== undefined ? Number(data.autosave) : 1500),
    placeholder: options.placeholder ?? data.placeholder ?? "Write, or type / for commands…",
    mentions: Array.isArray(mentions) ? mentions.filter((m) => m && m.id && m.label) : [],
    form: options.form || element.closest("form"),
  };
}

function csrfToken(form) {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const field = form.querySelector('input[name="csrf_token"]');
  return (field && field.value) || (meta && meta.content) || "";
}

// The element's part marked `data-<name>`, created at the end when the page has none.
function part(element, name, tag, className) {
  let found = element.querySelector(`[data-${name}]`);
  if (!found) {
    found = document.createElement(tag);
    found.className = className;
    found.setAttribute(`data-${name}`, "");
    element.append(found);
  }
  return found;
}

function mount(element, options = {}) {
  if (handles.has(element)) return handles.get(element);
  const settings = optionsOf(element, options);
  const form = settings.form;
  if (!form) throw new Error("StellaryEditor.mount: the element must be inside a form");
  const input = form.querySelector('input[name="content"]');
  const versionInput = form.querySelector('input[name="expected_revision"]');
  const source = element.querySelector('script[type="application/json"][data-editor-content]');
  const initial = readJson(source ? source.textContent : input && input.value, { type: "doc", content: [] });

  const body = part(element, "editor-body", "div", "se-body");
  const status = part(element, "editor-status", "span", "se-status");
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  const toolbar = document.createElement("div");
  toolbar.className = "se-toolbar";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", "Formatting");
  body.before(toolbar);
  const linkBar = document.createElement("div");
  linkBar.className = "se-linkbar";
  linkBar.hidden = true;
  body.before(linkBar);
  const notice = document.createElement("div");
  notice.className = "se-conflict";
  notice.setAttribute("role", "alert");
  notice.hidden = true;
  toolbar.before(notice);

  const state = { dirty: false, saving: null, timer: null, conflict: false, destroyed: false, waiters: [] };
  let editor = null;

  // Status -------------------------------------------------------------------------------
  function show(name, text) {
    status.dataset.state = name;
    status.textContent = text;
    element.dataset.saveState = name;
  }

  // Link bar -----------------------------------------------------------------------------
  const linkInput = document.createElement("input");
  linkInput.type = "url";
  linkInput.placeholder = "https://…";
  linkInput.setAttribute("aria-label", "Link address");
  const linkApply = button("Apply link", "Apply");
  const linkRemove = button("Remove link", "Remove");
  const linkCancel = button("Cancel", "Cancel");
  const linkError = document.createElement("span");
  linkError.className = "se-linkbar-error";
  linkBar.append(linkInput, linkApply, linkRemove, linkCancel, linkError);

  function openLink() {
    linkInput.value = editor.getAttributes("link").href || "";
    linkError.textContent = "";
    linkBar.hidden = false;
    linkRemove.hidden = !editor.isActive("link");
    linkInput.focus();
  }

  function closeLink() {
    linkBar.hidden = true;
    editor.commands.focus();
  }

  function applyLink() {
    let href = linkInput.value.trim();
    if (!href) {
      editor.chain().focus().extendMarkRange("link").unsetLink().run();
      closeLink();
      return;
    }
    if (!/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith("/") && !href.startsWith("#")) {
      href = href.includes("@") && !href.includes("/") ? `mailto:${href}` : `https://${href}`;
    }
    if (!SAFE_LINK.test(href)) {
      linkError.textContent = "Only http, https and mailto links.";
      return;
    }
    const { empty } = editor.state.selection;
    const chain = editor.chain().focus().extendMarkRange("link");
    if (empty && !editor.isActive("link")) {
      chain.insertContent({ type: "text", text: linkInput.value.trim(), marks: [{ type: "link", attrs: { href } }] });
    } else {
      chain.setLink({ href });
    }
    chain.run();
    closeLink();
  }

  linkApply.addEventListener("click", applyLink);
  linkRemove.addEventListener("click", () => {
    editor.chain().focus().extendMarkRange("link").unsetLink().run();
    closeLink();
  });
  linkCancel.addEventListener("click", closeLink);
  linkInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      applyLink();
    } else if (event.key === "Escape") {
      event.preventDefault();
      closeLink();
    }
  });

  // Toolbar ------------------------------------------------------------------------------
  function button(label, text) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.title = label;
    b.setAttribute("aria-label", label);
    return b;
  }

  const toolbarButtons = [];
  for (const command of COMMANDS.filter((c) => c.toolbar)) {
    if (command.group && toolbar.children.length) {
      const gap = document.createElement("span");
      gap.className = "se-sep";
      toolbar.append(gap);
    }
    const b = button(command.keys ? `${command.label} (${command.keys})` : command.label, command.short);
    b.dataset.command = command.id;
    b.addEventListener("mousedown", (event) => event.preventDefault());
    b.addEventListener("click", () => {
      if (command.special === "link") openLink();
      else command.run(editor.chain().focus()).run();
    });
    toolbar.append(b);
    toolbarButtons.push([b, command]);
  }
  const tableTools = document.createElement("span");
  tableTools.className = "se-table-tools";
  tableTools.hidden = true;
  for (const command of TABLE_COMMANDS) {
    const b = button(command.label, command.label);
    b.dataset.command = command.id;
    b.addEventListener("mousedown", (event) => event.preventDefault());
    b.addEventListener("click", () => command.run(editor.chain().focus()).run());
    tableTools.append(b);
  }
  toolbar.append(tableTools);
  // The status rides at the end of the toolbar (sticky while scrolling); it goes back to its
  // place in the page when the editor unmounts.
  const statusHome = { parent: status.parentNode, next: status.nextSibling };
  status.classList.add("se-status-in-toolbar");
  toolbar.append(status);

  function refreshToolbar() {
    if (!editor || state.destroyed) return;
    for (const [b, command] of toolbarButtons) {
      if (command.active) b.setAttribute("aria-pressed", command.active(editor) ? "true" : "false");
      if (command.enabled) b.disabled = !command.enabled(editor);
    }
    tableTools.hidden = !editor.isActive("table");
  }

  // Saving -------------------------------------------------------------------------------
  function changed() {
    if (state.destroyed) return;
    state.dirty = true;
    if (!state.conflict && !state.saving) show("unsaved", "Unsaved changes");
    schedule();
  }

  function schedule() {
    clearTimeout(state.timer);
    if (settings.autosave > 0 && !state.conflict) state.timer = setTimeout(save, settings.autosave);
  }

  function settle(ok) {
    const waiters = state.waiters.splice(0);
    waiters.forEach((resolve) => resolve(ok));
  }

  async function save() {
    clearTimeout(state.timer);
    if (state.conflict || state.destroyed) return;
    if (state.saving) {
      // Saved again once the request under way answers.
      return;
    }
    if (!state.dirty) {
      settle(true);
      return;
    }
    if (input && editor) input.value = JSON.stringify(editor.getJSON());
    state.dirty = false;
    show("saving", "Saving…");
    const body = new FormData(form);
    let answer = null;
    let response = null;
    state.saving = fetch(form.action, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
    });
    try {
      response = await state.saving;
      const type = response.headers.get("Content-Type") || "";
      answer = type.includes("application/json") ? await response.json() : null;
    } catch (error) {
      response = null;
    }
    state.saving = null;
    if (state.destroyed) return;
    if (response && response.ok && answer && answer.revision !== undefined) {
      if (versionInput) versionInput.value = answer.revision;
      element.dispatchEvent(new CustomEvent("stellary-editor:saved", { bubbles: true, detail: answer }));
      if (state.dirty) {
        show("unsaved", "Unsaved changes");
        save();
      } else {
        show("saved", "All changes saved");
        settle(true);
      }
      return;
    }
    state.dirty = true;
    if (response && response.status === 409 && answer && answer.conflict) {
      conflict(answer);
      settle(false);
      return;
    }
    let message = answer && answer.message;
    if (!message) {
      message = response ? `the server answered ${response.status}` : "the server could not be reached";
      if (response && response.ok) message = "your session may have expired; log in again in another tab";
    }
    show("error", `Not saved: ${message}`);
    element.dispatchEvent(new CustomEvent("stellary-editor:error", { bubbles: true, detail: answer || {} }));
    settle(false);
  }

  function conflict(answer) {
    state.conflict = true;
    show("conflict", "Not saved: someone else saved meanwhile");
    notice.replaceChildren();
    const text = document.createElement("p");
    text.textContent = answer.message || "Someone else saved this document meanwhile.";
    const reload = button("Reload their version (your unsaved changes are lost)", "Reload their version");
    reload.className = "se-reload";
    const overwrite = button("Overwrite it with your version", "Overwrite with mine");
    overwrite.className = "se-overwrite danger";
    reload.addEventListener("click", () => {
      state.dirty = false;
      state.destroyed = true;
      window.location.reload();
    });
    overwrite.addEventListener("click", () => {
      if (versionInput) versionInput.value = answer.revision;
      state.conflict = false;
      notice.hidden = true;
      save();
    });
    notice.append(text, reload, overwrite);
    notice.hidden = false;
    element.dispatchEvent(new CustomEvent("stellary-editor:conflict", { bubbles: true, detail: answer }));
  }

  function flush() {
    if (!state.dirty && !state.saving) return Promise.resolve(true);
    if (state.conflict) return Promise.resolve(false);
    const done = new Promise((resolve) => state.waiters.push(resolve));
    if (!state.saving) save();
    return done;
  }

  // Other fields of the form (the title) save like the text does; Enter saves at once.
  function fieldChanged(event) {
    if (event.target !== input && !element.contains(event.target)) changed();
  }

  function submitted(event) {
    event.preventDefault();
    save();
  }

  function beforeUnload(event) {
    if ((state.dirty || state.saving) && !state.destroyed) {
      event.preventDefault();
      event.returnValue = "";
    }
  }

  form.addEventListener("input", fieldChanged);
  form.addEventListener("submit", submitted);
  window.addEventListener("beforeunload", beforeUnload);

  const extensions = [
    StarterKit.configure({
      link: {
        openOnClick: false,
        autolink: true,
        defaultProtocol: "https",
        protocols: ["http", "https", "mailto"],
        isAllowedUri: (url) => SAFE_LINK.test(url),
      },
    }),
    TaskList,
    TaskItem.configure({ nested: true }),
    Table.configure({ resizable: false }),
    TableRow,
    TableHeader,
    TableCell,
    AttachmentImage,
    Placeholder.configure({ placeholder: settings.placeholder }),
    slashCommands(() => openLink()),
  ];
  if (settings.mentions.length) extensions.push(mentionExtension(settings.mentions));

  editor = new Editor({
    element: body,
    extensions,
    content: initial,
    editorProps: { attributes: { class: "se-content doc-content", "aria-label": "Document text", role: "textbox",
                                 "aria-multiline": "true" } },
    onUpdate: () => {
      if (input) input.value = JSON.stringify(editor.getJSON());
      changed();
    },
    onTransaction: refreshToolbar,
    onSelectionUpdate: refreshToolbar,
  });
  if (input) input.value = JSON.stringify(editor.getJSON());
  refreshToolbar();
  show("saved", "All changes saved");
  element.classList.add("se-mounted");

  function destroy() {
    if (state.destroyed && !editor) return;
    clearTimeout(state.timer);
    if (state.dirty && !state.conflict && !state.destroyed) {
      // Leaving with unsaved text: send it anyway, the page may be going away.
      if (input) input.value = JSON.stringify(editor.getJSON());
      fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin", keepalive: true,
                           headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) } }).catch(() => {});
    }
    state.destroyed = true;
    form.removeEventListener("input", fieldChanged);
    form.removeEventListener("submit", submitted);
    window.removeEventListener("beforeunload", beforeUnload);
    editor.destroy();
    editor = null;
    status.classList.remove("se-status-in-toolbar");
    statusHome.parent.insertBefore(status, statusHome.next && statusHome.next.parentNode === statusHome.parent
      ? statusHome.next : null);
    toolbar.remove();
    linkBar.remove();
    notice.remove();
    element.classList.remove("se-mounted");
    settle(false);
    handles.delete(element);
  }

  const handle = { editor, flush, save, destroy, get state() { return status.dataset.state; } };
  handles.set(element, handle);
  return handle;
}

function unmount(element) {
  const handle = handles.get(element);
  if (handle) handle.destroy();
}

function mountAll(root) {
  if (!root || !root.querySelectorAll) return;
  const found = root.matches && root.matches("[data-stellary-editor]") ? [root] : [];
  found.push(...root.querySelectorAll("[data-stellary-editor]"));
  found.forEach((element) => mount(element));
}

function unmountInside(root) {
  for (const element of [...handles.keys()]) {
    if (root === element || (root.contains && root.contains(element))) unmount(element);
  }
}

document.addEventListener("htmx:load", (event) => mountAll(event.detail ? event.detail.elt : event.target));
document.addEventListener("htmx:beforeCleanupElement", (event) => unmountInside(event.detail ? event.detail.elt : event.target));
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => mountAll(document.body));
} else {
  mountAll(document.body);
}

window.StellaryEditor = { version: VERSION, mount, unmount, get: (element) => handles.get(element), mountAll };
