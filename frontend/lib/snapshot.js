// Saves the picture on the target's screen as the daemon takes it (GET /api/snapshot: a JPEG
// at the stream's size, not the browser's scaled view), named after the moment it was taken.

export function snapshotName(date = new Date()) {
  const pad = (number) => String(number).padStart(2, '0');
  return `kvmrtc-${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}-` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}.jpg`;
}

// Resolves once the browser has the file; rejects with the daemon's reason ("no signal").
export async function saveSnapshot() {
  const response = await fetch('/api/snapshot');
  if (!response.ok) throw new Error((await response.text()).trim() || `HTTP ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = snapshotName();
    link.click();
  } finally {
    // The click starts the download at once; the next task may let the blob go.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
