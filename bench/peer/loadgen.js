// The peer benchmark's one load generator: WebSocket clients of every stack under test, spoken over
// raw WebSockets (the `ws` package), so each stack is measured with the same client code.
//
// Protocols (one per connection, chosen by the "connect" command):
//   turbo    LoadCluster.Turbo's stream endpoint (?stream=signed): each text frame is Turbo Stream markup.
//   socketio Engine.IO 4 / Socket.IO 5 packets: "40" to join the namespace, then
//            42["subscribe","hosts"]; pushes are 42["turbo-stream","…"]; answers pings ("2") with "3".
// A connection counts as subscribed once it received its first turbo-stream message (the state).
//
// Each pushed message carries data-run, data-seq and data-t (the sender's CLOCK_MONOTONIC in ns,
// which is this machine's process.hrtime.bigint()), found in the frame whatever the quoting.
//
// Control: one JSON command per line on stdin, one JSON answer per line on stdout.
//   {"cmd":"connect","protocol":"turbo","urls":["ws://…"],"count":250,"stream":"signed","localAddress":"127.0.0.2"}
//   {"cmd":"expect","run":7,"count":500}        start counting run 7's sequence numbers 0..count-1
//   {"cmd":"wait","timeoutMs":30000}            answer once every connection has every message (or at the timeout)
//   {"cmd":"report"}                            delays (µs), missing, duplicated, last delivery time
//   {"cmd":"close"}                             close every connection
//   {"cmd":"churn","protocol","url","stream","cycles","parallel","localAddress"}
//                                               connect, wait for the state, close (a normal close), again: cycles in all
"use strict";

const WebSocket = require("ws");
const readline = require("readline");

const RUN = Buffer.from("data-run=");
const SEQ = Buffer.from("data-seq=");
const T = Buffer.from("data-t=");

const clients = [];
let run = -1;
let expected = 0;
let delays = [];
let received = 0;
let duplicated = 0;
let lastDelivery = 0n;
let waiter = null;

// The digits after `name=` in the frame, skipping a quote that may be JSON-escaped (\").
function numberAfter(frame, from, name) {
  let at = frame.indexOf(name, from);
  if (at < 0) return [-1, -1];
  at += name.length;
  while (at < frame.length && (frame[at] === 0x22 || frame[at] === 0x5c)) at++;
  let negative = false;
  if (frame[at] === 0x2d) { negative = true; at++; }
  let value = 0;
  while (at < frame.length && frame[at] >= 0x30 && frame[at] <= 0x39) value = value * 10 + (frame[at++] - 0x30);
  return [negative ? -value : value, at];
}

function onPush(client, frame) {
  const now = process.hrtime.bigint();
  if (!client.subscribed) {
    client.subscribed = true;
    client.onSubscribed?.();
  }
  let from = 0;
  while (true) {
    const [messageRun, afterRun] = numberAfter(frame, from, RUN);
    if (afterRun < 0) break;
    const [seq, afterSeq] = numberAfter(frame, afterRun, SEQ);
    const tAt = frame.indexOf(T, afterSeq);
    from = afterSeq;
    if (messageRun !== run || seq < 0 || seq >= expected || tAt < 0) continue;
    // data-t is up to 19 digits: too long for a double, so read it as a BigInt.
    let end = tAt + T.length;
    while (frame[end] === 0x22 || frame[end] === 0x5c) end++;
    let stop = end;
    while (frame[stop] >= 0x30 && frame[stop] <= 0x39) stop++;
    const sentAt = BigInt(frame.toString("latin1", end, stop));
    if (client.seen[seq]) { duplicated++; continue; }
    client.seen[seq] = 1;
    client.count++;
    received++;
    delays.push(Number((now - sentAt) / 1000n));
    lastDelivery = now;
  }
  if (waiter && received >= waiter.total) finishWait();
}

// localAddress: each generator process connects from its own loopback address (127.0.0.N), as
// distinct browsers would, so per-address connection caps apply per process.
function open(protocol, url, stream, localAddress) {
  return new Promise((resolve) => {
    const client = { subscribed: false, seen: new Uint8Array(expected), count: 0, socket: null };
    const target = protocol === "socketio" ? `${url}/socket.io/?EIO=4&transport=websocket`
      : protocol === "turbo" ? `${url}?stream=${encodeURIComponent(stream)}` : url;
    const socket = new WebSocket(target, { perMessageDeflate: false, localAddress });
    client.socket = socket;
    let settled = false;
    const settle = (ok) => { if (!settled) { settled = true; resolve(ok ? client : null); } };
    client.onSubscribed = () => settle(true);
    socket.on("error", () => settle(false));
    socket.on("close", () => settle(false));
    socket.on("message", (data) => {
      if (protocol === "socketio") {
        const type = data[0];
        if (type === 0x30 /* "0" open */) socket.send("40");
        else if (type === 0x32 /* "2" ping */) socket.send("3");
        else if (type === 0x34 && data[1] === 0x30 /* "40" namespace connected */) socket.send(`42["subscribe","${stream}"]`);
        else if (type === 0x34 && data[1] === 0x32 /* "42" event */) onPush(client, data);
        return;
      }
      onPush(client, data);
    });
    setTimeout(() => settle(false), 60000);
  });
}

async function connect({ protocol, urls, count, stream, localAddress }) {
  let connected = 0;
  let failed = 0;
  const batch = 100;
  for (let i = 0; i < count; i += batch) {
    const opening = [];
    for (let j = i; j < Math.min(count, i + batch); j++) opening.push(open(protocol, urls[j % urls.length], stream, localAddress));
    for (const client of await Promise.all(opening)) {
      if (client) { clients.push(client); connected++; } else failed++;
    }
  }
  return { connected, failed, total: clients.length };
}

function expect({ run: nextRun, count }) {
  run = nextRun;
  expected = count;
  delays = [];
  received = 0;
  duplicated = 0;
  lastDelivery = 0n;
  for (const client of clients) { client.seen = new Uint8Array(count); client.count = 0; }
  return { ok: true };
}

function finishWait() {
  const { resolve, timer } = waiter;
  waiter = null;
  clearTimeout(timer);
  resolve({ received });
}

function wait({ timeoutMs }) {
  return new Promise((resolve) => {
    waiter = { resolve, total: expected * clients.length, timer: setTimeout(() => finishWait(), timeoutMs) };
    if (received >= waiter.total) finishWait();
  });
}

function report() {
  const missing = expected * clients.length - received;
  return { clients: clients.length, received, missing, duplicated, lastDelivery: lastDelivery.toString(), delays };
}

async function close() {
  await Promise.all(clients.map((client) => new Promise((resolve) => {
    if (client.socket.readyState === WebSocket.CLOSED) return resolve();
    client.socket.once("close", resolve);
    client.socket.terminate();
  })));
  clients.length = 0;
  return { ok: true };
}

async function churn({ protocol, url, stream, cycles, parallel, localAddress }) {
  let started = 0;
  let done = 0;
  let failed = 0;
  const worker = async () => {
    while (started < cycles) {
      started++;
      const client = await open(protocol, url, stream, localAddress);
      if (!client) { failed++; continue; }
      await new Promise((resolve) => {
        if (client.socket.readyState === WebSocket.CLOSED) return resolve();
        client.socket.once("close", resolve);
        client.socket.close(1000);
      });
      done++;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return { done, failed };
}

const commands = { connect, expect, wait, report, close, churn };
const input = readline.createInterface({ input: process.stdin });
let queue = Promise.resolve();
input.on("line", (line) => {
  queue = queue.then(async () => {
    const command = JSON.parse(line);
    const answer = await commands[command.cmd](command);
    process.stdout.write(JSON.stringify(answer) + "\n");
  });
});
input.on("close", () => queue.then(() => process.exit(0)));
