import type { LinkStatus } from '../live/live-stream.js';
import type { PointsState } from '../points/use-points.js';

/**
 * Says plainly when what is on screen may be out of date. It clears by itself: the stream and
 * the point list both retry until the server answers.
 */
export function StatusBanner({ link, points }: { link: LinkStatus; points: PointsState }) {
  let message: string | undefined;
  // Before the first point list arrives, the page's own error state says it all.
  if (points.status !== 'ready') return null;
  if (link === 'reconnecting') {
    message =
      'Connection to the server lost — values shown are the last received and may be out of date. Reconnecting…';
  } else if (points.error !== undefined) {
    message = `Could not refresh the point list (${points.error}). Retrying…`;
  }
  if (message === undefined) return null;
  return (
    <div className="banner is-warning" role="alert" data-testid="connection-banner">
      <span className="led" aria-hidden="true" />
      {message}
    </div>
  );
}
