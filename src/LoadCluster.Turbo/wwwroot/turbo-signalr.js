// <turbo-signalr-stream-source signed-stream-name="..."> — the page end of LoadCluster.Turbo.
//
// One SignalR connection per page (kept on window, so it survives Turbo Drive visits) is shared by
// every stream element. It connects with WebSockets and no negotiation, so any replica behind a
// round-robin proxy can take it (no sticky sessions), reconnects forever with capped, jittered
// backoff, and subscribes again after every reconnect (the server then sends each stream's current
// state first, so nothing missed while away stays missing). Each "turbo-stream" message goes to
// Turbo.renderStreamMessage.
//
// Connection state, for CSS: attribute connection-state="live|reconnecting|offline" on every
// stream element and data-turbo-connection on <html>; also a "turbo-signalr:state" event on
// document. "reconnecting" means a (re)connect attempt is running or scheduled; "offline" means
// the browser says it is offline (whatever the socket thinks), or the page has no hub URL.
// Neither is set during the first second of the first connect, so a page load does not flash
// "reconnecting" before "live".
//
// Needs, loaded before it: signalr.min.js and Turbo; and <meta name="turbo-signalr-url"
// content="/turbo-stream"> (both emitted by the TurboScripts helper).
(() => {
  "use strict";

  const elementName = "turbo-signalr-stream-source";
  if (customElements.get(elementName)) return;

  const retryBaseMs = 500;
  const retryCapMs = 10000;
  const firstConnectGraceMs = 1000;

  // Full-ish jitter: half the capped exponential delay is fixed, the other half random, so a
  // replica that dies does not get all its clients back at the same instant.
  const retryDelay = (attempt) => {
    const ceiling = Math.min(retryCapMs, retryBaseMs * 2 ** Math.min(attempt, 16));
    return ceiling / 2 + Math.random() * ceiling / 2;
  };

  class SharedConnection {
    constructor() {
      this.state = null; // unknown until the first connect has had its grace period
      this.connection = null;
      this.live = false;
      this.attempt = 0;
      this.retryTimer = null;
      this.counts = new Map(); // signed stream name -> number of connected elements using it
    }

    // Called by every element when it joins the page; the connection starts with the first one.
    acquire(name) {
      const count = this.counts.get(name) ?? 0;
      this.counts.set(name, count + 1);
      if (count === 0 && this.live) this.invoke("Subscribe", name);
      this.ensureStarted();
    }

    // Unsubscribing waits one task: Turbo Drive removes the old body before the new one connects,
    // so a stream both pages use would otherwise be dropped and subscribed again for nothing.
    release(name) {
      const count = (this.counts.get(name) ?? 0) - 1;
      if (count > 0) { this.counts.set(name, count); return; }
      this.counts.set(name, 0);
      setTimeout(() => {
        if (this.counts.get(name) !== 0) return;
        this.counts.delete(name);
        if (this.live) this.invoke("Unsubscribe", name);
      }, 0);
    }

    ensureStarted() {
      if (this.connection) return;
      const meta = document.querySelector('meta[name="turbo-signalr-url"]');
      const url = meta?.content;
      if (!url || typeof signalR === "undefined") {
        console.error(`${elementName}: ${url ? "the SignalR client (signalr.min.js) is not loaded" : 'no <meta name="turbo-signalr-url">'}; include the TurboScripts helper in the page head.`);
        this.setState("offline");
        return;
      }
      this.connection = new signalR.HubConnectionBuilder()
        .withUrl(url, { skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets })
        .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (context) => retryDelay(context.previousRetryCount) })
        .configureLogging(signalR.LogLevel.Warning)
        .build();
      this.connection.on("turbo-stream", (html) => window.Turbo.renderStreamMessage(html));
      this.connection.onreconnecting(() => { this.live = false; this.setState(navigator.onLine === false ? "offline" : "reconnecting"); });
      this.connection.onreconnected(() => this.onLive());
      // Automatic reconnect never gives up, but the server may close for good (e.g. shutdown):
      // start again on our own, with the same backoff.
      this.connection.onclose(() => { this.live = false; this.scheduleStart(); });
      // The browser knows it lost the network long before a dead socket times out (30 s).
      window.addEventListener("offline", () => this.setState("offline"));
      window.addEventListener("online", () => { if (this.live) this.setState("live"); else this.startNow(); });
      this.startNow();
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
      this.live = true;
      this.attempt = 0;
      this.setState("live");
      for (const [name, count] of this.counts) if (count > 0) this.invoke("Subscribe", name);
    }

    invoke(method, name) {
      this.connection.invoke(method, name).catch((error) => {
        // A refused signature is a HubException; a broken connection is retried by reconnecting.
        if (this.live) console.error(`${elementName}: ${method} failed: ${error?.message ?? error}`);
      });
    }

    setState(state) {
      this.state = state;
      document.documentElement.dataset.turboConnection = state;
      for (const element of document.querySelectorAll(elementName)) element.setAttribute("connection-state", state);
      document.dispatchEvent(new CustomEvent("turbo-signalr:state", { detail: { state } }));
    }
  }

  const shared = (window.TurboSignalR ??= new SharedConnection());

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
})();
