// Small behaviours shared by every page; no build step.

// Copy buttons: <button data-copy="id-of-input-or-element">.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  const text = (source.value !== undefined ? source.value : source.textContent).trim();
  const done = () => {
    const label = button.textContent;
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = label; }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done);
  } else if (source.select) {
    // Plain http on a LAN has no clipboard API: select the text and copy it the old way.
    source.select();
    document.execCommand("copy");
    done();
  }
});

// Slug fields follow their name field until edited: <input data-slug-source="slug-field-id">.
document.addEventListener("input", (event) => {
  const source = event.target.closest("[data-slug-source]");
  const target = source ? document.getElementById(source.dataset.slugSource) : null;
  if (target && target.dataset.touched !== "1") {
    target.value = source.value.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);
  } else if (event.target.id && document.querySelector(`[data-slug-source="${event.target.id}"]`)) {
    event.target.dataset.touched = "1";
  }
});

function flash(message, category) {
  const box = document.createElement("div");
  box.className = `flash flash-${category}`;
  box.setAttribute("role", "alert");
  box.textContent = message;
  document.getElementById("flashes").replaceChildren(box);
}

// An error answer that is a fragment (a form with its messages, marked X-Fragment) is
// swapped like any other; any other error (403, 404, CSRF...) is shown as a message.
document.addEventListener("htmx:beforeSwap", (event) => {
  const xhr = event.detail.xhr;
  if (xhr.status < 400) return;
  if (xhr.getResponseHeader("X-Fragment") === "1") {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    return;
  }
  const page = new DOMParser().parseFromString(xhr.responseText, "text/html");
  const message = page.querySelector(".error-message");
  flash(message ? message.textContent : `Request failed (${xhr.status})`, "error");
});

document.addEventListener("htmx:sendError", () => flash("The server could not be reached.", "error"));
