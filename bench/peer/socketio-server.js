// The peer benchmark's Socket.IO server: Socket.IO 4.8 over WebSockets only, on
// @socket.io/redis-adapter when a Redis URL is given. A client emits "subscribe" with a room name,
// joins it and gets the room's state first (as LoadCluster sends a stream's state on subscribe).
// POST /bench/broadcast {"run","count","intervalMs","inFlight"} sends the benchmark's message to
// room "hosts" count times, intervalMs apart, or back to back yielding to I/O every inFlight sends.
// Usage: node socketio-server.js PORT [redis://127.0.0.1:6379]
"use strict";

const http = require("http");
const { Server } = require("socket.io");
const { createAdapter } = require("@socket.io/redis-adapter");
const { createClient } = require("redis");
const { message, state } = require("./message.js");

const port = Number(process.argv[2]);
const redisUrl = process.argv[3];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const yieldToIo = () => new Promise((resolve) => setImmediate(resolve));

async function broadcast(io, { run, count, intervalMs, inFlight }) {
  for (let seq = 0; seq < count; seq++) {
    io.to("hosts").emit("turbo-stream", message(run, seq, process.hrtime.bigint()));
    if (intervalMs > 0) await sleep(intervalMs);
    else if ((seq + 1) % inFlight === 0) await yieldToIo();
  }
}

async function main() {
  const server = http.createServer();
  const io = new Server(server, { transports: ["websocket"], serveClient: false, perMessageDeflate: false });
  if (redisUrl) {
    const pub = createClient({ url: redisUrl });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub));
  }
  io.on("connection", (socket) => socket.on("subscribe", (room) => {
    socket.join(room);
    socket.emit("turbo-stream", state);
  }));
  server.on("request", (request, response) => {
    if (request.method !== "POST" || request.url !== "/bench/broadcast") return; // Socket.IO answers its own
    let body = "";
    request.on("data", (chunk) => { body += chunk; });
    request.on("end", async () => {
      await broadcast(io, JSON.parse(body));
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  server.listen(port, "127.0.0.1", () => console.log(`listening on ${port}`));
}

main();
