import { useState } from 'react';
import { useT } from '../i18n/i18n-context.js';
import { canAck, durationText, SHELVE_DURATIONS, type Alarm } from './alarm-logic.js';
import { ackAlarm, commentAlarm, shelveAlarm, unshelveAlarm } from './alarms-api.js';
import { actionErrorText } from './http.js';

interface Props {
  alarm: Alarm;
  onChanged: (a: Alarm) => void;
}

type Open = 'none' | 'ack' | 'shelve' | 'comment';

/** Acknowledge (optional comment), shelve for 1/8/24 h with a reason, unshelve, or comment on one alarm. */
export function AlarmActions({ alarm, onChanged }: Props) {
  const t = useT();
  const [open, setOpen] = useState<Open>('none');
  const [comment, setComment] = useState('');
  const [duration, setDuration] = useState<number>(SHELVE_DURATIONS[0].ms);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const run = async (what: string, act: () => Promise<Alarm>): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      onChanged(await act());
      setOpen('none');
      setComment('');
      setReason('');
    } catch (err) {
      setError(actionErrorText(err, what, 'operator', t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="alarm-actions">
      <div className="alarm-buttons">
        {canAck(alarm) ? (
          <button type="button" disabled={busy} onClick={() => setOpen(open === 'ack' ? 'none' : 'ack')}>
            {t('alarms.ackOpen')}
          </button>
        ) : null}
        {alarm.status === 'shelved' ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => void run(t('alarms.do.unshelve'), () => unshelveAlarm(alarm.id))}
          >
            {t('alarms.unshelve')}
          </button>
        ) : alarm.status !== 'out-of-service' ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => setOpen(open === 'shelve' ? 'none' : 'shelve')}
          >
            {t('alarms.shelveOpen')}
          </button>
        ) : null}
        <button
          type="button"
          disabled={busy}
          onClick={() => setOpen(open === 'comment' ? 'none' : 'comment')}
        >
          {t('alarms.commentOpen')}
        </button>
      </div>
      {open === 'comment' ? (
        <form
          className="alarm-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(t('alarms.do.comment'), () => commentAlarm(alarm.id, comment.trim()));
          }}
        >
          <label>
            {t('alarms.comment')}
            <input
              value={comment}
              required
              maxLength={2000}
              onChange={(e) => setComment(e.target.value)}
              placeholder={t('alarms.commentPlaceholder')}
              autoFocus
            />
          </label>
          <button type="submit" className="primary" disabled={busy || comment.trim() === ''}>
            {t('alarms.addComment')}
          </button>
          <button type="button" onClick={() => setOpen('none')}>
            {t('alarms.cancel')}
          </button>
        </form>
      ) : null}
      {open === 'ack' ? (
        <form
          className="alarm-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(t('alarms.do.ack'), () => ackAlarm(alarm.id, comment));
          }}
        >
          <label>
            {t('alarms.commentOptional')}
            <input
              value={comment}
              maxLength={2000}
              onChange={(e) => setComment(e.target.value)}
              placeholder={t('alarms.ackPlaceholder')}
              autoFocus
            />
          </label>
          <button type="submit" className="primary" disabled={busy}>
            {t('alarms.ack')}
          </button>
          <button type="button" onClick={() => setOpen('none')}>
            {t('alarms.cancel')}
          </button>
        </form>
      ) : null}
      {open === 'shelve' ? (
        <form
          className="alarm-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(t('alarms.do.shelve'), () => shelveAlarm(alarm.id, duration, reason.trim()));
          }}
        >
          <fieldset className="durations">
            <legend>{t('alarms.shelveFor')}</legend>
            {SHELVE_DURATIONS.map((d) => (
              <label key={d.ms}>
                <input
                  type="radio"
                  name={`shelve-${alarm.id}`}
                  checked={duration === d.ms}
                  onChange={() => setDuration(d.ms)}
                />
                {durationText(d.ms, t)}
              </label>
            ))}
          </fieldset>
          <label>
            {t('alarms.reason')}
            <input
              value={reason}
              required
              maxLength={2000}
              onChange={(e) => setReason(e.target.value)}
              placeholder={t('alarms.reasonPlaceholder')}
            />
          </label>
          <button type="submit" className="primary" disabled={busy || reason.trim() === ''}>
            {t('alarms.shelve')}
          </button>
          <button type="button" onClick={() => setOpen('none')}>
            {t('alarms.cancel')}
          </button>
        </form>
      ) : null}
      {error !== undefined ? (
        <p className="alarm-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
