import { useState } from 'react';
import type { MessageKey } from '../i18n/en.js';
import { useT } from '../i18n/i18n-context.js';
import {
  fromLocalInput,
  PRESETS,
  RESOLUTIONS,
  toLocalInput,
  type ExplorerRange,
  type ExplorerView,
  type Resolution,
} from './explorer-state.js';

interface Props {
  range: ExplorerRange;
  /** The window the range covers now, to prefill the custom inputs. */
  window: { from: number; to: number };
  resolution: Resolution | undefined;
  autoResolution: Resolution;
  view: ExplorerView;
  canExport: boolean;
  exportTitle: string;
  onRange: (r: ExplorerRange) => void;
  onResolution: (r: Resolution | undefined) => void;
  onView: (v: ExplorerView) => void;
  onRefresh: () => void;
  onExport: () => void;
}

/** Range (presets or from/to), resolution, chart or table, refresh and export. */
export function ExplorerToolbar(p: Props) {
  const t = useT();
  const [custom, setCustom] = useState<{ from: string; to: string } | undefined>(
    p.range.kind === 'custom'
      ? { from: toLocalInput(p.range.from), to: toLocalInput(p.range.to) }
      : undefined,
  );
  const from = custom !== undefined ? fromLocalInput(custom.from) : undefined;
  const to = custom !== undefined ? fromLocalInput(custom.to) : undefined;
  const badRange = from !== undefined && to !== undefined && from >= to;

  return (
    <div className="explorer-toolbar">
      <div className="segmented" role="group" aria-label={t('explorer.range')}>
        {PRESETS.map((r) => (
          <button
            key={r.key}
            type="button"
            aria-pressed={p.range.kind === 'preset' && p.range.key === r.key && custom === undefined}
            onClick={() => {
              setCustom(undefined);
              p.onRange({ kind: 'preset', key: r.key });
            }}
          >
            {t(`explorer.range.${r.key}` as MessageKey)}
          </button>
        ))}
        <button
          type="button"
          aria-pressed={custom !== undefined}
          onClick={() => setCustom({ from: toLocalInput(p.window.from), to: toLocalInput(p.window.to) })}
        >
          {t('explorer.range.custom')}
        </button>
      </div>
      {custom !== undefined ? (
        <form
          className="explorer-custom"
          onSubmit={(e) => {
            e.preventDefault();
            if (from !== undefined && to !== undefined && from < to) p.onRange({ kind: 'custom', from, to });
          }}
        >
          <label>
            {t('explorer.from')}
            <input
              type="datetime-local"
              value={custom.from}
              onChange={(e) => setCustom({ ...custom, from: e.target.value })}
              data-testid="explorer-from"
            />
          </label>
          <label>
            {t('explorer.to')}
            <input
              type="datetime-local"
              value={custom.to}
              onChange={(e) => setCustom({ ...custom, to: e.target.value })}
              data-testid="explorer-to"
            />
          </label>
          <button type="submit" disabled={from === undefined || to === undefined || badRange}>
            {t('explorer.apply')}
          </button>
          {badRange ? (
            <span className="explorer-warn" role="alert">
              {t('explorer.badRange')}
            </span>
          ) : null}
        </form>
      ) : null}
      <label className="explorer-field">
        {t('explorer.resolution')}
        <select
          value={p.resolution ?? 'auto'}
          onChange={(e) =>
            p.onResolution(e.target.value === 'auto' ? undefined : (e.target.value as Resolution))
          }
          data-testid="explorer-resolution"
          title={t('explorer.resHint')}
        >
          <option value="auto">
            {t('explorer.res.auto', { res: t(`explorer.res.${p.autoResolution}` as MessageKey) })}
          </option>
          {RESOLUTIONS.map((r) => (
            <option key={r.key} value={r.key}>
              {t(`explorer.res.${r.key}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <div className="segmented" role="group" aria-label={t('explorer.view')}>
        {(['chart', 'table'] as const).map((v) => (
          <button key={v} type="button" aria-pressed={p.view === v} onClick={() => p.onView(v)}>
            {t(`explorer.view.${v}`)}
          </button>
        ))}
      </div>
      <span className="explorer-spacer" />
      <button type="button" onClick={p.onRefresh}>
        {t('explorer.refresh')}
      </button>
      <button
        type="button"
        className="primary"
        disabled={!p.canExport}
        title={p.exportTitle}
        onClick={p.onExport}
        data-testid="explorer-export"
      >
        {t('explorer.export')}
      </button>
    </div>
  );
}
