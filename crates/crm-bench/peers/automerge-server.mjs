// The automerge-repo sync server, bound to 127.0.0.1 (it listens on every interface
// otherwise). PORT and DATA_DIR as for the server itself.
import http from "node:http"

const listen = http.Server.prototype.listen
http.Server.prototype.listen = function (port, ...rest) {
  const callback = rest.find((a) => typeof a === "function")
  return listen.call(this, { port: Number(port), host: "127.0.0.1" }, callback)
}
const { Server } = await import("@automerge/automerge-repo-sync-server/src/server.js")
new Server()
