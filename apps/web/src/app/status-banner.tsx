import type { LinkStatus } from '../live/live-stream.js';
import type { PointsState } from '../points/use-points.js';
import { useT } from '../i18n/i18n-context.js';
import { errorText } from '../i18n/translate.js';

/**
 * Says plainly when what is on screen may be out of date. It clears by itself: the stream and
 * the point list both retry until the server answers.
 */
export function StatusBanner({ link, points }: { link: LinkStatus; points: PointsState }) {
  const t = useT();
  let message: string | undefined;
  // Before the first point list arrives, the page's own error state says it all.
  if (points.status !== 'ready') return null;
  if (link === 'reconnecting') {
    message = t('banner.offline');
  } else if (points.error !== undefined) {
    message = t('banner.refreshFailed', { error: errorText(t, points.error) });
  }
  if (message === undefined) return null;
  return (
    <div className="banner is-warning" role="alert" data-testid="connection-banner">
      <span className="led" aria-hidden="true" />
      {message}
    </div>
  );
}
