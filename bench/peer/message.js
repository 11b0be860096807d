// The peer benchmark's pushed message: one Turbo Stream row replace of about 330 bytes, the same
// bytes whichever stack sends it (TurboPeerServer.Message in the C# benchmark builds the same).
"use strict";

const message = (run, seq, t) =>
  `<turbo-stream action="replace" target="host-web-042"><template><tr id="host-web-042" class="live" data-run="${run}" data-seq="${seq}" data-t="${t}"><td class="host"><a href="/hosts/web-042">web-042</a></td><td class="num">1.25</td><td class="num">37%</td><td class="num">61%</td><td>live</td></tr></template></turbo-stream>`;

module.exports = { message, state: message(-1, 0, 0) };
