// One viewer session with the daemon: the signaling WebSocket at /api/ws and the peer
// connection it negotiates (see docs/protocol.md). A session is used once: when anything
// fails it closes itself and reports why, and the owner starts a new session to reconnect.
//
// Properties:
//   receiver  the RTCRtpReceiver of the daemon's video, or null before the track arrives
//   clock     { offsetMs, errorMs, roundTripMs }: how far the daemon's wall clock is ahead of
//             this page's (performance.timeOrigin + performance.now()), from `clock`
//             exchanges; null until the first reply
// Events:
//   state     detail: the daemon's state message (video, width, height, framerate, encoder, message)
//   track     detail: { stream } a MediaStream carrying the daemon's video
//   hid       detail: { channel } the daemon's "hid" RTCDataChannel (docs/hid-protocol.md); a
//             new negotiation brings a new one, and closing the session closes it without a
//             `close` event on the channel
//   unsupported  detail: { codec } this browser declined the video: it cannot decode `codec`;
//             the session goes on for the keyboard and mouse
//   close     detail: { reason, code } sent once, whoever closed the session; code is the
//             signaling socket's close code when the session ended because the socket closed
//             (4401: the login session ended, see lib/session.js), else absent

import { ClockOffset } from './clock-offset.js';
import { declinedVideoCodec } from './declined-video.js';

// The daemon pings every 5 s; this long without any message means the link is dead even if
// the socket has not noticed yet (e.g. a half-open TCP connection after a network change).
const SILENCE_TIMEOUT_MS = 15000;

// ICE reports `disconnected` after a few seconds without packets and may recover on its own,
// but Chromium reports `failed` only some 15 s later. The daemon streams continuously, so a gap
// this long already means a frozen screen: start over instead of waiting.
const DISCONNECTED_GRACE_MS = 3000;

// A burst of clock exchanges when the session starts, so the latency meter has a tight offset
// early even if the daemon is busy setting up the stream at first; then one per ping.
const CLOCK_BURST = 5;
const CLOCK_BURST_INTERVAL_MS = 200;

const pageNow = () => performance.timeOrigin + performance.now();

// frontend/early-socket.js builds it, for the early socket and for every later one.
export function signalingUrl(loc = window.location) {
  return window.kvmrtcSignalingUrl(loc);
}

export class ViewerSession extends EventTarget {
  #iceServers;
  #ws;
  #opened = false;
  #pc = null;
  #answered = false;
  #remoteCandidates = [];
  #localCandidates = [];
  #silenceTimer = 0;
  #disconnectedTimer = 0;
  #closed = false;
  #receiver = null;
  #clock = new ClockOffset();
  #clockTimer = 0;

  constructor(url, { iceServers = [] } = {}) {
    super();
    this.#iceServers = iceServers;
    const early = adoptEarlySocket(url);
    this.#ws = early?.socket ?? new WebSocket(url);
    // The daemon's hello is its first message on every socket.
    this.#opened = this.#ws.readyState === WebSocket.OPEN || Boolean(early?.messages.length);
    this.#ws.onopen = () => {
      this.#opened = true;
    };
    this.#ws.onmessage = (event) => this.#onMessage(event);
    // An error is always followed by close, which alone carries the daemon's close code.
    this.#ws.onclose = (event) => this.#onSocketClosed(event.code);
    this.#armSilenceTimer();
    // After the constructor's caller has added its listeners, and before any later message.
    if (early) {
      queueMicrotask(() => {
        for (const event of early.messages) {
          if (!this.#closed) this.#onMessage(event);
        }
        if (early.closed) this.#onSocketClosed(early.closeCode);
      });
    }
  }

  get receiver() {
    return this.#receiver;
  }

  get clock() {
    return this.#clock.estimate;
  }

  /** Ends the session; idempotent. Fires `close` the first time. */
  close(reason) {
    this.#end({ reason });
  }

  #end(detail) {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#silenceTimer);
    clearTimeout(this.#clockTimer);
    this.#closePeer();
    this.#ws.onopen = this.#ws.onmessage = this.#ws.onclose = null;
    this.#ws.close();
    this.dispatchEvent(new CustomEvent('close', { detail }));
  }

  #onSocketClosed(code) {
    const reason = this.#opened ? 'Lost the connection to kvmrtc' : 'Cannot reach kvmrtc';
    this.#end({ reason, code });
  }

  #armSilenceTimer() {
    clearTimeout(this.#silenceTimer);
    this.#silenceTimer = setTimeout(
      () => this.close('No reply from kvmrtc'),
      SILENCE_TIMEOUT_MS,
    );
  }

  #send(message) {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(message));
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  #onMessage(event) {
    this.#armSilenceTimer();
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      console.warn('kvmrtc: ignoring a signaling message that is not JSON:', event.data);
      return;
    }
    switch (message?.type) {
      case 'hello':
        // The viewer id and the protocol version are of no use to the page; the clock is.
        this.#sampleClockBurst(CLOCK_BURST);
        break;
      case 'state':
        this.#emit('state', message);
        break;
      case 'offer':
        this.#acceptOffer(message.sdp);
        break;
      case 'ice':
        this.#addRemoteCandidate(message);
        break;
      case 'ping':
        this.#send({ type: 'pong' });
        // A daemon that never answered the burst does not know `clock`: spare it the errors.
        if (this.#clock.estimate) this.#sampleClock();
        break;
      case 'clock':
        this.#clock.add(message.sent, message.daemon, pageNow());
        break;
      case 'error':
        console.warn(`kvmrtc: the daemon rejected a message (${message.code}): ${message.message}`);
        break;
      default:
        // Newer daemons may add message types; an old page simply does not use them.
        console.debug('kvmrtc: ignoring signaling message', message);
    }
  }

  #sampleClock() {
    this.#send({ type: 'clock', sent: pageNow() });
  }

  #sampleClockBurst(count) {
    this.#sampleClock();
    if (count > 1) {
      this.#clockTimer = setTimeout(() => this.#sampleClockBurst(count - 1), CLOCK_BURST_INTERVAL_MS);
    }
  }

  async #acceptOffer(sdp) {
    // A new offer replaces any earlier negotiation together with its candidates.
    this.#closePeer();
    this.#remoteCandidates = [];
    const pc = new RTCPeerConnection({ iceServers: this.#iceServers });
    this.#pc = pc;
    pc.onicecandidate = ({ candidate }) => this.#onLocalCandidate(candidate);
    pc.ontrack = (event) => this.#onTrack(pc, event);
    pc.ondatachannel = ({ channel }) => {
      if (channel.label === 'hid') this.#emit('hid', { channel });
    };
    pc.onconnectionstatechange = () => this.#onConnectionState(pc);
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp });
      if (pc !== this.#pc) return;
      for (const candidate of this.#remoteCandidates.splice(0)) this.#addCandidate(pc, candidate);
      await pc.setLocalDescription(await pc.createAnswer());
      if (pc !== this.#pc) return;
      const declined = declinedVideoCodec(sdp, pc.localDescription.sdp);
      if (declined) this.#emit('unsupported', { codec: declined });
      this.#send({ type: 'answer', sdp: pc.localDescription.sdp });
      this.#answered = true;
      for (const candidate of this.#localCandidates.splice(0)) this.#send(candidate);
    } catch (error) {
      if (pc === this.#pc) this.close(`Could not negotiate the video: ${error.message}`);
    }
  }

  #onLocalCandidate(candidate) {
    // A null candidate, or one with an empty string, only marks the end of gathering.
    if (!candidate?.candidate) return;
    const message = {
      type: 'ice',
      candidate: candidate.candidate,
      sdpMLineIndex: candidate.sdpMLineIndex,
    };
    // The protocol accepts candidates only after the answer; gathering may start earlier.
    if (this.#answered) this.#send(message);
    else this.#localCandidates.push(message);
  }

  #addRemoteCandidate({ candidate, sdpMLineIndex }) {
    if (!candidate) return;
    const init = { candidate, sdpMLineIndex };
    if (this.#pc?.remoteDescription) this.#addCandidate(this.#pc, init);
    else this.#remoteCandidates.push(init);
  }

  #addCandidate(pc, init) {
    pc.addIceCandidate(init).catch((error) => {
      console.warn('kvmrtc: ignoring an ICE candidate the browser refused:', error.message);
    });
  }

  #onTrack(pc, event) {
    lowerPlayoutDelay(pc);
    if (event.track.kind === 'video') this.#receiver = event.receiver;
    const stream = event.streams[0] ?? new MediaStream([event.track]);
    this.#emit('track', { stream });
  }

  #onConnectionState(pc) {
    if (pc !== this.#pc) return;
    clearTimeout(this.#disconnectedTimer);
    if (pc.connectionState === 'disconnected') {
      this.#disconnectedTimer = setTimeout(
        () => this.close('The video connection was interrupted'),
        DISCONNECTED_GRACE_MS,
      );
    } else if (pc.connectionState === 'failed') {
      this.close('The video connection failed');
    }
  }

  #closePeer() {
    if (!this.#pc) return;
    clearTimeout(this.#disconnectedTimer);
    const pc = this.#pc;
    this.#pc = null;
    this.#receiver = null;
    this.#answered = false;
    this.#localCandidates = [];
    pc.onicecandidate = pc.ontrack = pc.ondatachannel = pc.onconnectionstatechange = null;
    pc.close();
  }
}

// The socket index.html opened before the modules loaded, for the page's first session only.
function adoptEarlySocket(url) {
  const early = window.kvmrtcEarlySocket;
  window.kvmrtcEarlySocket = null;
  if (!early) return null;
  if (early.socket.url === url) return early;
  early.socket.close();
  return null;
}

// A KVM is interactive: play each frame as soon as it is decoded instead of buffering for
// smoothness. Chromium and Firefox honour jitterBufferTarget (ms); older Chromium had
// playoutDelayHint (s).
function lowerPlayoutDelay(pc) {
  for (const receiver of pc.getReceivers()) {
    try {
      if ('jitterBufferTarget' in receiver) receiver.jitterBufferTarget = 0;
      if ('playoutDelayHint' in receiver) receiver.playoutDelayHint = 0;
    } catch (error) {
      console.debug('kvmrtc: could not lower the playout delay:', error.message);
    }
  }
}
