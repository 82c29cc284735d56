/**
 * Saves a file the browser way: a temporary link clicked and removed. For a server URL the
 * request carries the session cookie like any other; for a Blob the object URL is released once
 * the click has handed it to the download.
 */
export function download(href: string | Blob, fileName: string): void {
  const url = typeof href === 'string' ? href : URL.createObjectURL(href);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  if (typeof href !== 'string') setTimeout(() => URL.revokeObjectURL(url), 0);
}
