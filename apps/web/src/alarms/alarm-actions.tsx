import { useState } from 'react';
import { canAck, SHELVE_DURATIONS, type Alarm } from './alarm-logic.js';
import { ackAlarm, commentAlarm, shelveAlarm, unshelveAlarm } from './alarms-api.js';
import { actionErrorText } from './http.js';

interface Props {
  alarm: Alarm;
  onChanged: (a: Alarm) => void;
}

type Open = 'none' | 'ack' | 'shelve' | 'comment';

/** Acknowledge (optional comment), shelve for 1/8/24 h with a reason, unshelve, or comment on one alarm. */
export function AlarmActions({ alarm, onChanged }: Props) {
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
      setError(actionErrorText(err, what, 'operator'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="alarm-actions">
      <div className="alarm-buttons">
        {canAck(alarm) ? (
          <button type="button" disabled={busy} onClick={() => setOpen(open === 'ack' ? 'none' : 'ack')}>
            Acknowledge…
          </button>
        ) : null}
        {alarm.status === 'shelved' ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => void run('unshelve this alarm', () => unshelveAlarm(alarm.id))}
          >
            Unshelve
          </button>
        ) : alarm.status !== 'out-of-service' ? (
          <button
            type="button"
            disabled={busy}
            onClick={() => setOpen(open === 'shelve' ? 'none' : 'shelve')}
          >
            Shelve…
          </button>
        ) : null}
        <button
          type="button"
          disabled={busy}
          onClick={() => setOpen(open === 'comment' ? 'none' : 'comment')}
        >
          Comment…
        </button>
      </div>
      {open === 'comment' ? (
        <form
          className="alarm-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run('comment on this alarm', () => commentAlarm(alarm.id, comment.trim()));
          }}
        >
          <label>
            Comment
            <input
              value={comment}
              required
              maxLength={2000}
              onChange={(e) => setComment(e.target.value)}
              placeholder="e.g. maintenance called"
              autoFocus
            />
          </label>
          <button type="submit" className="primary" disabled={busy || comment.trim() === ''}>
            Add comment
          </button>
          <button type="button" onClick={() => setOpen('none')}>
            Cancel
          </button>
        </form>
      ) : null}
      {open === 'ack' ? (
        <form
          className="alarm-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run('acknowledge this alarm', () => ackAlarm(alarm.id, comment));
          }}
        >
          <label>
            Comment (optional)
            <input
              value={comment}
              maxLength={2000}
              onChange={(e) => setComment(e.target.value)}
              placeholder="e.g. operator on site, valve closed"
              autoFocus
            />
          </label>
          <button type="submit" className="primary" disabled={busy}>
            Acknowledge
          </button>
          <button type="button" onClick={() => setOpen('none')}>
            Cancel
          </button>
        </form>
      ) : null}
      {open === 'shelve' ? (
        <form
          className="alarm-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run('shelve this alarm', () => shelveAlarm(alarm.id, duration, reason.trim()));
          }}
        >
          <fieldset className="durations">
            <legend>Shelve for</legend>
            {SHELVE_DURATIONS.map((d) => (
              <label key={d.ms}>
                <input
                  type="radio"
                  name={`shelve-${alarm.id}`}
                  checked={duration === d.ms}
                  onChange={() => setDuration(d.ms)}
                />
                {d.label}
              </label>
            ))}
          </fieldset>
          <label>
            Reason (required)
            <input
              value={reason}
              required
              maxLength={2000}
              onChange={(e) => setReason(e.target.value)}
              placeholder="e.g. sensor being replaced"
            />
          </label>
          <button type="submit" className="primary" disabled={busy || reason.trim() === ''}>
            Shelve
          </button>
          <button type="button" onClick={() => setOpen('none')}>
            Cancel
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
