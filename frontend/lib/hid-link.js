// The page's end of the "hid" data channel (docs/hid-protocol.md). The channel changes with
// every reconnect; everything that sends input or shows the target's state holds this link
// instead, so none of it has to follow reconnects.
//
// Properties: viewOnly (while true, send() sends nothing: the page only watches; the daemon's
//   messages still arrive)
// Events:
//   open      the current channel can send
//   close     the current channel is gone (closed, or replaced by a reconnect)
//   message   detail: one parsed daemon message ({ t: 'leds' | 'hid' | 'paste' | 'error', … })
//   release   every key and button is up now: forget what is held (sent by release(), and
//             before `close`, as nothing held can be released through a closed channel)

export class HidLink extends EventTarget {
  viewOnly = false;

  #channel = null;

  get isOpen() {
    return this.#channel?.readyState === 'open';
  }

  /** Takes over a new channel, dropping the previous one. */
  attach(channel) {
    this.detach();
    this.#channel = channel;
    channel.onopen = () => this.#emit('open');
    channel.onmessage = (event) => this.#onMessage(event.data);
    channel.onclose = () => {
      if (channel === this.#channel) this.detach();
    };
    if (channel.readyState === 'open') this.#emit('open');
  }

  /** Drops the current channel, e.g. when its peer connection is closed. */
  detach() {
    const channel = this.#channel;
    if (!channel) return;
    this.#channel = null;
    channel.onopen = channel.onmessage = channel.onclose = null;
    this.#emit('release');
    this.#emit('close');
  }

  /** Sends one message if the channel is open and the page may send; returns whether it went out. */
  send(message) {
    if (this.viewOnly || !this.isOpen) return false;
    this.#channel.send(JSON.stringify(message));
    return true;
  }

  /** Releases every key and button on the target, e.g. when the page loses the keyboard. */
  release() {
    this.send({ t: 'release' });
    this.#emit('release');
  }

  #onMessage(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      console.warn('kvmrtc: ignoring a hid message that is not JSON:', data);
      return;
    }
    if (message?.t === 'error') {
      console.warn(`kvmrtc: the daemon rejected a hid message (${message.code}): ${message.message}`);
    }
    this.#emit('message', message);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
