// Whether this browser's answer declines the daemon's video: a browser with no decoder for the
// offered codec answers its section with port 0 (JSEP), and only the data channel connects.

function videoSection(sdp) {
  const start = sdp.search(/^m=video /m);
  if (start < 0) return '';
  const next = sdp.slice(start + 1).search(/^m=/m);
  return next < 0 ? sdp.slice(start) : sdp.slice(start, start + 1 + next);
}

/** The codec the offer's video is in (e.g. "H264") when `answerSdp` declines it, else null. */
export function declinedVideoCodec(offerSdp, answerSdp) {
  const answered = /^m=video (\d+)/m.exec(videoSection(answerSdp));
  if (!answered || answered[1] !== '0') return null;
  const offered = /^a=rtpmap:\d+ ([A-Za-z0-9-]+)\//m.exec(videoSection(offerSdp));
  return offered ? offered[1] : 'the offered codec';
}
