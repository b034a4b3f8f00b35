// Following a project's event stream (Server-Sent Events, see app/live/), shared by the live
// board (live.js) and the live views (view_live.js). `followProjectEvents(url, since, types,
// onEvent)` subscribes to the event `types`, resumes after the cursor `since` (and after the
// last event received on reconnecting), skips the echo of this tab's own changes (htmx
// requests carry the tab's tag as X-Live-Origin), stops with a message when the project is
// deleted, and reconnects with a growing delay when the stream is refused or gone.
// `onEvent(event)` gets each parsed event; the returned `stop(message)` ends the stream.
window.followProjectEvents = (url, since, types, onEvent) => {
  const tab = Array.from(crypto.getRandomValues(new Uint8Array(16)),
    (byte) => byte.toString(16).padStart(2, "0")).join("");
  let lastId = since;
  let source = null;
  let reconnectDelay = 2000;

  // The server tags the events of changes this tab made, so their echo is skipped.
  document.addEventListener("htmx:configRequest", (event) => {
    event.detail.headers["X-Live-Origin"] = tab;
  });

  function stop(message) {
    source?.close();
    source = null;
    document.body.dataset.live = "closed";
    if (typeof window.flash === "function") window.flash(message, "error");
    return true;
  }

  function received(message) {
    if (message.lastEventId) lastId = message.lastEventId;
    let event;
    try {
      event = JSON.parse(message.data);
    } catch (error) {
      return;
    }
    if (event.origin && event.origin === tab) return;
    if (event.type === "project.deleted") {
      stop("This project was deleted.");
      return;
    }
    onEvent(event);
  }

  function connect() {
    const address = new URL(url, window.location.href);
    if (lastId) address.searchParams.set("since", lastId);
    source = new EventSource(address);
    document.body.dataset.live = "connecting";
    [...types, "project.deleted"].forEach((type) => source.addEventListener(type, received));
    source.addEventListener("open", () => {
      document.body.dataset.live = "open";
      reconnectDelay = 2000;
    });
    source.addEventListener("error", () => {
      if (source && source.readyState === EventSource.CLOSED) {
        // Refused (signed out, no longer a member) or the server is gone: try again later.
        document.body.dataset.live = "closed";
        source = null;
        setTimeout(connect, reconnectDelay);
        reconnectDelay = Math.min(60000, reconnectDelay * 2);
      } else {
        document.body.dataset.live = "connecting";
      }
    });
  }

  connect();
  return { stop };
};
