// The bell (templates/notifications/_bell.html): its unread count follows the person's
// notification channel (Server-Sent Events) and the open dropdown is re-fetched with it.
//
// Each stream holds a web server thread and one of the browser's few connections to the
// site, so a browser keeps ONE notification stream whatever the number of tabs: the tab
// holding a Web Lock follows the channel and tells the others through a BroadcastChannel;
// when it closes, another tab takes the lock over. Without those APIs (an old browser, or
// plain http off localhost) each tab follows the channel itself.
(() => {
  const bell = document.getElementById("notif-bell");
  if (!bell || bell.dataset.ready) return;
  bell.dataset.ready = "1";
  const name = `stellary-notifications-${bell.dataset.user}`;
  const others = "BroadcastChannel" in window ? new BroadcastChannel(name) : null;
  let pending = null;

  function show(count) {
    const badge = document.getElementById("notif-count");
    badge.dataset.count = count;
    badge.firstChild.textContent = count < 100 ? String(count) : "99+";
    badge.hidden = count === 0;
  }

  // Several events in a burst (a bulk change) make one fetch.
  function changed() {
    if (pending) return;
    pending = setTimeout(() => {
      pending = null;
      fetch(bell.dataset.countUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : null))
        .then((answer) => {
          if (!answer) return;
          show(answer.count);
          if (bell.open) htmx.trigger(bell, "notifications-refresh");
        })
        .catch(() => {});
    }, 150);
  }

  function follow() {
    return new Promise(() => {  // never settles: the lock is held while this page lives
      const url = new URL(bell.dataset.events, location.href);
      url.searchParams.set("since", bell.dataset.since);
      const source = new EventSource(url);
      const heard = () => {
        changed();
        if (others) others.postMessage("changed");
      };
      source.addEventListener("notifications.changed", heard);
      source.addEventListener("reset", heard);
      source.addEventListener("open", () => { bell.dataset.live = "open"; });
      source.addEventListener("error", () => { bell.dataset.live = "retrying"; });
    });
  }

  if (others && navigator.locks) {
    others.onmessage = () => changed();
    bell.dataset.live = "shared";
    navigator.locks.request(name, () => {
      changed();  // taking over from a closed tab: catch what may have come in between
      return follow();
    });
  } else {
    follow();
  }

  // The dropdown closes on a click outside it and on Escape.
  document.addEventListener("click", (event) => {
    if (bell.open && !bell.contains(event.target)) bell.open = false;
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && bell.open) {
      bell.open = false;
      bell.querySelector("summary").focus();
    }
  });
})();
