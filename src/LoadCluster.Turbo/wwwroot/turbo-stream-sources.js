// The page end of LoadCluster.Turbo, beside Turbo: keeps each of the page's <turbo-stream-source>
// elements connected and shows their state. Turbo's element opens a WebSocket (src ws: or wss:) or
// an EventSource (any other src) and renders each message, but a WebSocket that closes stays
// closed, and an EventSource refused with an error status (a connection limit's 429 or 503) gives
// up for good. This reopens them with capped, jittered backoff; the server sends the stream's
// state first again, so nothing missed while away stays missing. (An EventSource that merely lost
// its network reconnects by itself.) Turbo closes an element's connection when a visit removes it.
//
// A hidden tab asks for nothing (Page Visibility): when the page is hidden every element's
// connection is closed, with no reconnect attempts, and when it is shown again each reopens and gets
// its stream's state first, so the page is current at once. An element so closed is
// connection-state="paused"; the page's state stays what it was.
//
// Connection state, for CSS: connection-state="live|reconnecting|offline" on each element, and
// data-turbo-connection on <html> (the worst of the page's elements); also a
// "turbo-stream-sources:state" event on document. "offline" means the browser says it is offline.
//
// Needs, loaded before it: Turbo.
(() => {
  "use strict";

  if (window.TurboStreamSources) return;
  window.TurboStreamSources = true;

  const retryBaseMs = 500;
  const retryCapMs = 10000;
  const watched = new WeakSet();

  // Full-ish jitter: half the capped exponential delay is fixed, the other half random, so a
  // replica that dies does not get all its clients back at the same instant.
  const retryDelay = (attempt) => {
    const ceiling = Math.min(retryCapMs, retryBaseMs * 2 ** Math.min(attempt, 16));
    return ceiling / 2 + Math.random() * ceiling / 2;
  };

  const sources = () => document.querySelectorAll("turbo-stream-source[src]");

  const setState = (element, state) => {
    element.setAttribute("connection-state", state);
    const states = [...sources()].map((source) => source.getAttribute("connection-state"));
    const page = states.includes("offline") ? "offline" : states.includes("reconnecting") ? "reconnecting" : state;
    if (document.documentElement.dataset.turboConnection === page) return;
    document.documentElement.dataset.turboConnection = page;
    document.dispatchEvent(new CustomEvent("turbo-stream-sources:state", { detail: { state: page } }));
  };

  const reopen = (element) => {
    clearTimeout(element.reopenTimer);
    element.reopenTimer = null;
    if (!element.isConnected) return;
    element.disconnectedCallback();
    element.connectedCallback();
    watch(element);
  };

  const watch = (element) => {
    const source = element.streamSource;
    if (!source || watched.has(source)) return;
    watched.add(source);
    const isSocket = typeof WebSocket !== "undefined" && source instanceof WebSocket;
    const opened = () => { element.retryAttempt = 0; setState(element, "live"); };
    // gone: the connection will not come back by itself (a closed WebSocket, a refused EventSource).
    const lost = (gone) => {
      if (!element.isConnected || element.streamSource !== source) return; // removed from the page
      if (element.paused) return; // closed on purpose while the page is hidden
      if (navigator.onLine === false) { setState(element, "offline"); if (gone) element.reopenWhenOnline = true; return; }
      setState(element, "reconnecting");
      if (!gone || element.reopenTimer) return;
      const attempt = element.retryAttempt ?? 0;
      element.retryAttempt = attempt + 1;
      element.reopenTimer = setTimeout(() => reopen(element), retryDelay(attempt));
    };
    source.addEventListener("open", opened);
    if (isSocket) source.addEventListener("close", () => lost(true));
    else source.addEventListener("error", () => lost(source.readyState === EventSource.CLOSED));
    // Turbo opens the connection as soon as its element connects, and this deferred script may run
    // after "open" (or a close) was delivered: catch up with the connection's state.
    if (source.readyState === 1) opened();
    else if (source.readyState === (isSocket ? WebSocket.CLOSED : EventSource.CLOSED)) lost(true);
  };

  const pause = (element) => {
    if (element.paused) return;
    element.paused = true;
    clearTimeout(element.reopenTimer);
    element.reopenTimer = null;
    element.disconnectedCallback();
    element.setAttribute("connection-state", "paused");
  };

  const resume = (element) => {
    if (!element.paused) return;
    element.paused = false;
    element.retryAttempt = 0;
    setState(element, "reconnecting");
    reopen(element);
  };

  const followVisibility = () => sources().forEach(document.hidden ? pause : resume);

  const watchAll = () => { sources().forEach(watch); if (document.hidden) followVisibility(); };
  watchAll();
  document.addEventListener("visibilitychange", followVisibility);
  document.addEventListener("turbo:load", watchAll);
  document.addEventListener("turbo:frame-load", watchAll);
  window.addEventListener("offline", () => sources().forEach((element) => setState(element, "offline")));
  window.addEventListener("online", () => sources().forEach((element) => {
    if (element.paused) return;
    if (element.reopenWhenOnline) { element.reopenWhenOnline = false; reopen(element); }
    else setState(element, element.streamSource?.readyState === 1 ? "live" : "reconnecting");
  }));
})();
