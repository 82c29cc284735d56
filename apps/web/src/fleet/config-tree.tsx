import { useState } from 'react';
import { useT } from '../i18n/i18n-context.js';
import {
  addGroup,
  addTag,
  MIN_INTERVAL_MS,
  removeGroup,
  removeTag,
  setGroup,
  setTag,
  type PlantConfig,
  type TagConfig,
} from './config-model.js';
import { TagForm } from './tag-form.js';

/** Which form is open: a tag being edited or added, or a group's settings or a new group. */
type Editing =
  | { kind: 'tag'; device: number; group: number; tag: number | 'new' }
  | { kind: 'group'; device: number; group: number | 'new' };

/**
 * The structured view of a config: devices → groups (poll interval) → tags. One form is open at
 * a time; every change makes a new config handed to `onChange` (the draft), nothing is sent.
 */
export function ConfigTree({
  config,
  onChange,
}: {
  config: PlantConfig;
  onChange: (c: PlantConfig) => void;
}) {
  const t = useT();
  const [editing, setEditing] = useState<Editing>();
  const close = () => setEditing(undefined);

  return (
    <div className="config-tree" data-testid="config-tree">
      {config.devices.map((device, d) => (
        <section
          key={`${d}:${device.name}`}
          className="config-device"
          aria-label={t('fleet.edit.device', { name: device.name })}
        >
          <h5>
            {device.name} <span className="muted mono">{device.driver}</span>
          </h5>
          {device.groups.map((group, g) => {
            const groupOpen = editing?.kind === 'group' && editing.device === d && editing.group === g;
            const tagOpen = (i: number | 'new') =>
              editing?.kind === 'tag' && editing.device === d && editing.group === g && editing.tag === i;
            return (
              <div
                key={`${g}:${group.name}`}
                className="config-group"
                data-testid="config-group"
                aria-label={t('fleet.edit.group', { name: group.name })}
              >
                <div className="fleet-head">
                  <strong>{group.name}</strong>
                  <span className="muted">{t('fleet.edit.every', { ms: String(group.intervalMs) })}</span>
                  <button type="button" onClick={() => setEditing({ kind: 'group', device: d, group: g })}>
                    {t('fleet.edit.groupSettings')}
                  </button>
                  <button type="button" onClick={() => onChange(removeGroup(config, d, g))}>
                    {t('fleet.edit.removeGroup')}
                  </button>
                </div>
                {groupOpen ? (
                  <GroupForm
                    name={group.name}
                    intervalMs={group.intervalMs}
                    onSave={(patch) => {
                      onChange(setGroup(config, d, g, patch));
                      close();
                    }}
                    onCancel={close}
                  />
                ) : null}
                <table className="alarm-table config-tags">
                  <thead>
                    <tr>
                      <th>{t('fleet.edit.field.name')}</th>
                      <th>{t('fleet.edit.field.address')}</th>
                      <th>{t('fleet.edit.field.dataType')}</th>
                      <th>{t('fleet.edit.field.unit')}</th>
                      <th>{t('fleet.edit.field.scale')}</th>
                      <th>{t('fleet.edit.field.deadband')}</th>
                      <th>{t('fleet.edit.col.write')}</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {group.tags.map((tag, i) =>
                      tagOpen(i) ? (
                        <tr key={`${i}:${tag.name}`}>
                          <td colSpan={8}>
                            <TagForm
                              tag={tag}
                              onSave={(next) => {
                                onChange(setTag(config, { device: d, group: g, tag: i }, next));
                                close();
                              }}
                              onCancel={close}
                            />
                          </td>
                        </tr>
                      ) : (
                        <TagRow
                          key={`${i}:${tag.name}`}
                          tag={tag}
                          onEdit={() => setEditing({ kind: 'tag', device: d, group: g, tag: i })}
                          onRemove={() => onChange(removeTag(config, { device: d, group: g, tag: i }))}
                        />
                      ),
                    )}
                  </tbody>
                </table>
                {tagOpen('new') ? (
                  <TagForm
                    tag={undefined}
                    onSave={(next) => {
                      onChange(addTag(config, d, g, next));
                      close();
                    }}
                    onCancel={close}
                  />
                ) : (
                  <button
                    type="button"
                    onClick={() => setEditing({ kind: 'tag', device: d, group: g, tag: 'new' })}
                  >
                    {t('fleet.edit.addTag', { group: group.name })}
                  </button>
                )}
              </div>
            );
          })}
          {editing?.kind === 'group' && editing.device === d && editing.group === 'new' ? (
            <GroupForm
              name=""
              intervalMs={1000}
              onSave={(patch) => {
                onChange(addGroup(config, d, { ...patch, tags: [] }));
                close();
              }}
              onCancel={close}
            />
          ) : (
            <button type="button" onClick={() => setEditing({ kind: 'group', device: d, group: 'new' })}>
              {t('fleet.edit.addGroup', { device: device.name })}
            </button>
          )}
        </section>
      ))}
    </div>
  );
}

function TagRow({ tag, onEdit, onRemove }: { tag: TagConfig; onEdit: () => void; onRemove: () => void }) {
  const t = useT();
  return (
    <tr data-testid="config-tag">
      <td className="mono">{tag.name}</td>
      <td className="mono">{tag.address}</td>
      <td>{tag.dataType}</td>
      <td>{tag.unit ?? ''}</td>
      <td className="num">{tag.scale ?? ''}</td>
      <td className="num">{tag.deadband ?? ''}</td>
      <td>
        {tag.writable
          ? tag.min !== undefined || tag.max !== undefined
            ? `[${tag.min ?? '−∞'}, ${tag.max ?? '∞'}]`
            : t('fleet.edit.writable')
          : ''}
      </td>
      <td>
        <button type="button" aria-label={t('fleet.edit.tagEdit', { name: tag.name })} onClick={onEdit}>
          {t('fleet.edit.edit')}
        </button>
        <button type="button" aria-label={t('fleet.edit.tagRemove', { name: tag.name })} onClick={onRemove}>
          {t('fleet.edit.remove')}
        </button>
      </td>
    </tr>
  );
}

/** A group's name and poll interval; its tags are edited in its table. */
function GroupForm({
  name,
  intervalMs,
  onSave,
  onCancel,
}: {
  name: string;
  intervalMs: number;
  onSave: (patch: { name: string; intervalMs: number }) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [n, setN] = useState(name);
  const [ms, setMs] = useState(String(intervalMs));
  return (
    <form
      className="alarm-form"
      aria-label={t('fleet.edit.groupForm')}
      onSubmit={(e) => {
        e.preventDefault();
        onSave({ name: n.trim(), intervalMs: Number(ms) });
      }}
    >
      <label>
        {t('fleet.edit.groupName')}
        <input value={n} required pattern="[A-Za-z0-9_\-]{1,64}" onChange={(e) => setN(e.target.value)} />
      </label>
      <label>
        {t('fleet.edit.interval')}
        <input
          type="number"
          min={MIN_INTERVAL_MS}
          step={1}
          required
          value={ms}
          onChange={(e) => setMs(e.target.value)}
        />
      </label>
      <button type="submit" className="primary">
        {t('fleet.edit.saveGroup')}
      </button>
      <button type="button" onClick={onCancel}>
        {t('fleet.cancel')}
      </button>
    </form>
  );
}
