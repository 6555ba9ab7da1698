// The page tells a declined video (its browser has no decoder for the offered codec) from an
// accepted one, and names the codec it lacks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { declinedVideoCodec } from '../../frontend/lib/declined-video.js';

const offer = [
  'v=0', 'o=- 1 0 IN IP4 0.0.0.0', 's=-', 't=0 0', 'a=group:BUNDLE video0 application1',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97', 'c=IN IP4 0.0.0.0', 'a=mid:video0',
  'a=rtpmap:96 H264/90000', 'a=rtpmap:97 rtx/90000',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'a=mid:application1', '',
].join('\r\n');
const answer = (videoPort) => [
  'v=0', 'o=mozilla 1 0 IN IP4 0.0.0.0', 's=-', 't=0 0',
  `m=video ${videoPort} UDP/TLS/RTP/SAVPF 96`, 'a=mid:video0', 'a=rtpmap:96 H264/90000',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'a=mid:application1', '',
].join('\r\n');

test('an answer with the video section at port 0 declines the offered codec', () => {
  assert.equal(declinedVideoCodec(offer, answer(0)), 'H264');
});

test('an answer that takes the video declines nothing', () => {
  assert.equal(declinedVideoCodec(offer, answer(9)), null);
});

test('the application section at port 0 is not the video', () => {
  const noData = answer(9).replace('m=application 9', 'm=application 0');
  assert.equal(declinedVideoCodec(offer, noData), null);
});
