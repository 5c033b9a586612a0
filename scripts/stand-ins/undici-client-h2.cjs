// undici's HTTP/2 client, loaded when a connection first speaks HTTP/2: while `npm run bundle`
// runs, this file takes the place of undici/lib/dispatcher/client-h2.js, and the real module moves
// beside it as client-h2.real.js (scripts/stand-ins.ts). undici's client requires it at start, and
// with it node:http2; a connection that the service answers in HTTP/1.1 never calls it.
let connectH2;

module.exports = function connectH2WhenFirstUsed(client, socket) {
  connectH2 ??= require('./client-h2.real.js');
  return connectH2(client, socket);
};
