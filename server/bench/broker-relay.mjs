// The baseline for `pnpm bench broker`: a bare `ws` server that relays every text
// frame to the socket named in it, as fast as this stack moves a frame from one
// peer to another, with no auth, storage or grants.
import { WebSocketServer } from "ws";

const peers = new Map();
const server = new WebSocketServer({ port: 0, host: "127.0.0.1" }, () => {
  console.log(`listening on ws://127.0.0.1:${server.address().port}`);
});
server.on("connection", (socket, request) => {
  const name = new URL(request.url ?? "/", "ws://relay").searchParams.get("name") ?? "";
  peers.set(name, socket);
  socket.on("message", (data) => {
    const { to } = JSON.parse(data.toString());
    peers.get(to)?.send(data.toString());
  });
  socket.on("close", () => peers.delete(name));
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
