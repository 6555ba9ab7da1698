// Opens the signaling socket while the page's modules load (a few hundred ms on a small
// machine), so the daemon prepares this page's stream meanwhile; the page's first ViewerSession
// adopts it, with every message that came before (lib/viewer-session.js). A classic script, not
// a module, so that it runs before the modules are even fetched.

// The socket's URL names the video decoders this browser has, in its own order: the daemon
// sends each viewer the first of its codecs (H.264, then VP8) that the browser can decode.
window.kvmrtcSignalingUrl = (loc = window.location) => {
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  const codecs = window.RTCRtpReceiver?.getCapabilities?.('video')?.codecs ?? [];
  const names = [...new Set(codecs.map((codec) => codec.mimeType.split('/')[1]))];
  return `${scheme}://${loc.host}/api/ws?codecs=${encodeURIComponent(names.join(','))}`;
};

window.kvmrtcEarlySocket = (() => {
  const early = { socket: new WebSocket(window.kvmrtcSignalingUrl()), messages: [] };
  early.socket.onmessage = (event) => early.messages.push(event);
  early.socket.onclose = (event) => {
    early.closed = true;
    early.closeCode = event.code;
  };
  return early;
})();
