// The page end of LoadCluster.Turbo: one SignalR connection per page, and the
// <turbo-signalr-stream-source signed-stream-name="..."> element that subscribes it to a stream.
//
// The connection opens as soon as this script runs on a page whose head has
// <meta name="turbo-signalr-url"> (the TurboScripts helper writes both), whether or not the page
// has stream elements: pushes to every client and to users reach a page by its connection alone.
// A page that listens over the event stream or the socket endpoint (Turbo's
// <turbo-stream-source signed-stream-name>) opens none unless it also has one of our elements;
// the end of this file reconnects those sockets and shows their state.
// It is kept on window, so it survives Turbo Drive visits. It connects with WebSockets and no
// negotiation, so any replica behind a round-robin proxy can take it (no sticky sessions),
// reconnects forever with capped, jittered backoff, and subscribes again after every reconnect
// (the server then sends each stream's current state first, so nothing missed while away stays
// missing). Each "turbo-stream" message goes to Turbo.renderStreamMessage.
//
// Subscriptions follow the page: stream elements say which streams the page wants, and one pass
// that runs after the DOM settles (a task later) sends Subscribe for each wanted stream the
// connection is not subscribed to and Unsubscribe for each it no longer wants. A Drive visit
// removes the old body before it inserts the new one, so comparing counts on the spot would drop
// and re-subscribe streams both pages share; settling first makes each visit cost one call per
// stream that really changed, and each new subscription gets the state once.
//
// The connection's user is the one the page was rendered for (meta turbo-signalr-user, a hash):
// when a Drive visit lands on a page rendered for another user (after signing in or out), the
// connection is opened again, so user pushes reach the right pages.
//
// Connection state, for CSS: attribute connection-state="live|reconnecting|offline" on every
// stream element and data-turbo-connection on <html>; also a "turbo-signalr:state" event on
// document. "reconnecting" means a (re)connect attempt is running or scheduled; "offline" means
// the browser says it is offline (whatever the socket thinks), or a stream element is on a page
// with no hub URL. Neither is set during the first second of the first connect, so a page load
// does not flash "reconnecting" before "live".
//
// Needs, loaded before it: signalr.min.js and Turbo.
(() => {
  "use strict";

  const elementName = "turbo-signalr-stream-source";
  if (customElements.get(elementName)) return;

  const retryBaseMs = 500;
  const retryCapMs = 10000;
  const firstConnectGraceMs = 1000;

  // The page's state, for both kinds of connection: on <html> and as a "turbo-signalr:state" event.
  const showPageState = (state) => {
    document.documentElement.dataset.turboConnection = state;
    document.dispatchEvent(new CustomEvent("turbo-signalr:state", { detail: { state } }));
  };

  // Full-ish jitter: half the capped exponential delay is fixed, the other half random, so a
  // replica that dies does not get all its clients back at the same instant.
  const retryDelay = (attempt) => {
    const ceiling = Math.min(retryCapMs, retryBaseMs * 2 ** Math.min(attempt, 16));
    return ceiling / 2 + Math.random() * ceiling / 2;
  };

  // Who the page was rendered for (a hash; "" for anonymous), or undefined when the page does not say.
  const currentUser = () => document.querySelector('meta[name="turbo-signalr-user"]')?.content;

  class SharedConnection {
    constructor() {
      this.state = null; // unknown until the first connect has had its grace period
      this.connection = null;
      this.live = false;
      this.attempt = 0;
      this.retryTimer = null;
      this.wanted = new Map(); // signed stream name -> number of connected elements using it
      this.subscribed = new Set(); // names this connection has sent Subscribe for (and not Unsubscribe)
      this.refused = new Set(); // names the server refused on this connection: never sent again
      this.reconcileScheduled = false;
      this.generation = 0; // counts connections, so a late answer from a lost one changes nothing
      this.user = undefined; // the page's user marker when the connection opened
      this.restarting = false;
    }

    // Called by every element when it joins the page.
    acquire(name) {
      this.wanted.set(name, (this.wanted.get(name) ?? 0) + 1);
      if (!this.start()) {
        console.error(`${elementName}: no <meta name="turbo-signalr-url"> or no SignalR client (signalr.min.js); include the TurboScripts helper in the page head.`);
        this.setState("offline");
        return;
      }
      this.scheduleReconcile();
    }

    release(name) {
      const count = (this.wanted.get(name) ?? 0) - 1;
      if (count > 0) this.wanted.set(name, count);
      else this.wanted.delete(name);
      this.scheduleReconcile();
    }

    scheduleReconcile() {
      if (this.reconcileScheduled) return;
      this.reconcileScheduled = true;
      setTimeout(() => { this.reconcileScheduled = false; this.reconcile(); }, 0);
    }

    // Brings the server's subscriptions for this connection to what the page wants.
    reconcile() {
      if (!this.live) return; // onLive reconciles
      for (const name of this.wanted.keys()) {
        if (this.subscribed.has(name)) continue;
        this.subscribed.add(name);
        const generation = this.generation;
        this.invoke("Subscribe", name).catch(() => { if (generation === this.generation) this.refused.add(name); });
      }
      for (const name of [...this.subscribed]) {
        if (this.wanted.has(name)) continue;
        this.subscribed.delete(name);
        if (!this.refused.delete(name)) this.invoke("Unsubscribe", name).catch(() => {});
      }
    }

    // Opens the connection once per page; false when the page has no hub to connect to.
    start() {
      if (this.connection) return true;
      const url = document.querySelector('meta[name="turbo-signalr-url"]')?.content;
      if (!url || typeof signalR === "undefined") return false;
      this.user = currentUser();
      // A Drive visit keeps the connection, but its user was fixed when it opened: after a
      // sign-in or sign-out (a form answered with a redirect) reconnect as the page's new user.
      document.addEventListener("turbo:load", () => {
        const user = currentUser();
        if (user === undefined || user === this.user) return;
        this.user = user;
        this.restart();
      });
      this.connection = new signalR.HubConnectionBuilder()
        .withUrl(url, { skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets })
        .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (context) => retryDelay(context.previousRetryCount) })
        .configureLogging(signalR.LogLevel.Warning)
        .build();
      this.connection.on("turbo-stream", (html) => window.Turbo.renderStreamMessage(html));
      this.connection.onreconnecting(() => { this.lost(); this.setState(navigator.onLine === false ? "offline" : "reconnecting"); });
      this.connection.onreconnected(() => this.onLive());
      // Automatic reconnect never gives up, but the server may close for good (e.g. shutdown):
      // start again on our own, with the same backoff.
      this.connection.onclose(() => { this.lost(); if (!this.restarting) this.scheduleStart(); });
      // The browser knows it lost the network long before a dead socket times out (30 s).
      window.addEventListener("offline", () => this.setState("offline"));
      window.addEventListener("online", () => { if (this.live) this.setState("live"); else this.startNow(); });
      this.startNow();
      return true;
    }

    async restart() {
      this.restarting = true;
      try {
        await this.connection.stop();
      } finally {
        this.restarting = false;
      }
      this.startNow();
    }

    // A new connection (a reconnect gets a new id) has no subscriptions on the server.
    lost() {
      this.generation++;
      this.live = false;
      this.subscribed.clear();
      this.refused.clear();
    }

    async startNow() {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      if (this.connection.state !== signalR.HubConnectionState.Disconnected) return;
      if (navigator.onLine === false) this.setState("offline");
      else if (this.state !== null) this.setState("reconnecting");
      else setTimeout(() => { if (this.state === null) this.setState("reconnecting"); }, firstConnectGraceMs);
      try {
        await this.connection.start();
        this.onLive();
      } catch {
        this.scheduleStart(); // onclose does not fire when start itself fails
      }
    }

    scheduleStart() {
      if (this.retryTimer || this.connection.state !== signalR.HubConnectionState.Disconnected) return;
      if (navigator.onLine === false) { this.setState("offline"); return; } // "online" restarts us
      this.setState("reconnecting");
      this.retryTimer = setTimeout(() => this.startNow(), retryDelay(this.attempt++));
    }

    onLive() {
      this.lost();
      this.live = true;
      this.attempt = 0;
      this.setState("live");
      this.reconcile();
    }

    invoke(method, name) {
      return this.connection.invoke(method, name).catch((error) => {
        // A refused signature is a HubException; a broken connection is retried by reconnecting.
        if (this.live) console.error(`${elementName}: ${method} failed: ${error?.message ?? error}`);
        throw error;
      });
    }

    setState(state) {
      this.state = state;
      for (const element of document.querySelectorAll(elementName)) element.setAttribute("connection-state", state);
      showPageState(state);
    }
  }

  const shared = (window.TurboSignalR ??= new SharedConnection());
  // Connect without waiting for a stream element (the script is deferred: the page is parsed),
  // except on a page that listens over the event stream instead: each of those is a connection
  // of its own that gets pushes to all and to its user, and a hub connection besides would apply
  // them twice (and keep retrying where WebSockets are blocked, the reason for the event stream).
  const autoStart = () => {
    if (!document.querySelector("turbo-stream-source[signed-stream-name]")) shared.start();
  };
  autoStart();
  document.addEventListener("turbo:load", autoStart);

  class TurboSignalRStreamSource extends HTMLElement {
    static observedAttributes = ["signed-stream-name"];

    connectedCallback() {
      this.joined = true;
      this.subscribed = this.getAttribute("signed-stream-name");
      if (shared.state) this.setAttribute("connection-state", shared.state);
      if (this.subscribed) shared.acquire(this.subscribed);
      else console.error(`${elementName}: missing signed-stream-name attribute`, this);
    }

    disconnectedCallback() {
      this.joined = false;
      if (this.subscribed) shared.release(this.subscribed);
      this.subscribed = null;
    }

    // Also called for the initial attributes, before connectedCallback: "joined" tells them apart.
    attributeChangedCallback(_attribute, oldValue, newValue) {
      if (!this.joined || oldValue === newValue) return;
      this.disconnectedCallback();
      this.connectedCallback();
    }
  }

  customElements.define(elementName, TurboSignalRStreamSource);

  // Turbo's own <turbo-stream-source src="ws://…"> (TurboTransport.WebSocket: the socket endpoint)
  // opens its WebSocket and renders each message, but does not reconnect when the socket closes.
  // This keeps each one open while it is on the page: after a close it reconnects with the same
  // backoff (the server sends the stream's state first again), and it shows the same states on
  // the element and on <html>. Turbo closes the socket itself when a visit removes the element.
  const watched = new WeakSet();
  const socketSources = () => document.querySelectorAll('turbo-stream-source[src^="ws"]');
  const setSocketState = (element, state) => {
    element.setAttribute("connection-state", state);
    const states = [...socketSources()].map((source) => source.getAttribute("connection-state"));
    const page = states.includes("offline") ? "offline" : states.includes("reconnecting") ? "reconnecting" : state;
    if (document.documentElement.dataset.turboConnection !== page) showPageState(page);
  };
  const reopen = (element) => {
    if (!element.isConnected || element.reopenTimer) return;
    element.disconnectedCallback();
    element.connectedCallback();
    watchSocket(element);
  };
  const watchSocket = (element) => {
    const socket = element.streamSource;
    if (typeof WebSocket === "undefined" || !(socket instanceof WebSocket) || watched.has(socket)) return;
    watched.add(socket);
    const opened = () => { element.socketAttempt = 0; setSocketState(element, "live"); };
    const closed = () => {
      if (!element.isConnected || element.streamSource !== socket) return; // removed from the page
      const attempt = element.socketAttempt ?? 0;
      element.socketAttempt = attempt + 1;
      setSocketState(element, navigator.onLine === false ? "offline" : "reconnecting");
      if (navigator.onLine === false) return; // "online" reopens it
      element.reopenTimer = setTimeout(() => { element.reopenTimer = null; reopen(element); }, retryDelay(attempt));
    };
    socket.addEventListener("open", opened);
    socket.addEventListener("close", closed);
    // Turbo opens the socket as soon as its element connects, and this deferred script may run after
    // the event loop has already delivered "open" (or "close"): catch up with the socket's state.
    if (socket.readyState === WebSocket.OPEN) opened();
    else if (socket.readyState === WebSocket.CLOSED) closed();
  };
  const watchSockets = () => socketSources().forEach(watchSocket);
  watchSockets();
  document.addEventListener("turbo:load", watchSockets);
  document.addEventListener("turbo:frame-load", watchSockets);
  window.addEventListener("offline", () => socketSources().forEach((element) => setSocketState(element, "offline")));
  window.addEventListener("online", () => socketSources().forEach((element) => {
    if (element.streamSource?.readyState !== WebSocket.CLOSED) return;
    clearTimeout(element.reopenTimer);
    element.reopenTimer = null;
    reopen(element);
  }));
})();
