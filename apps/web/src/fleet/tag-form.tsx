import { useState } from 'react';
import { useT } from '../i18n/i18n-context.js';
import { DATA_TYPES, fieldsOfTag, tagOfFields, type TagConfig, type TagFields } from './config-model.js';
import { issueText } from './config-text.js';

const TEXT_FIELDS = ['name', 'address', 'unit', 'scale', 'offset', 'deadband', 'min', 'max'] as const;

/**
 * Adds or edits one tag: the fields an engineer sets for a tag (name, address, type, unit,
 * scale, offset, deadband, write limits, writable). Checked on save; the tag's other fields
 * (description, quantity, asset) are kept as they were.
 */
export function TagForm({
  tag,
  onSave,
  onCancel,
}: {
  tag: TagConfig | undefined;
  onSave: (tag: TagConfig) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [fields, setFields] = useState<TagFields>(() => fieldsOfTag(tag));
  const [issues, setIssues] = useState<string[]>([]);
  const set = (k: keyof TagFields, v: string) => setFields((f) => ({ ...f, [k]: v }));

  return (
    <form
      className="alarm-form tag-form"
      aria-label={tag ? t('fleet.edit.tagEdit', { name: tag.name }) : t('fleet.edit.tagNew')}
      onSubmit={(e) => {
        e.preventDefault();
        const r = tagOfFields(fields, tag);
        if (r.ok) onSave(r.tag);
        else setIssues(r.issues.map((i) => issueText(i, t)));
      }}
    >
      {TEXT_FIELDS.map((k) => (
        <label key={k}>
          {t(`fleet.edit.field.${k}`)}
          <input
            value={fields[k]}
            required={k === 'name' || k === 'address'}
            inputMode={k === 'name' || k === 'address' || k === 'unit' ? undefined : 'decimal'}
            onChange={(e) => set(k, e.target.value)}
          />
        </label>
      ))}
      <label>
        {t('fleet.edit.field.dataType')}
        <select value={fields.dataType} onChange={(e) => set('dataType', e.target.value)}>
          {DATA_TYPES.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={fields.writable === 'true'}
          onChange={(e) => set('writable', e.target.checked ? 'true' : 'false')}
        />
        {t('fleet.edit.field.writable')}
      </label>
      <button type="submit" className="primary">
        {t('fleet.edit.saveTag')}
      </button>
      <button type="button" onClick={onCancel}>
        {t('fleet.cancel')}
      </button>
      {issues.length > 0 ? (
        <ul className="alarm-error" role="alert">
          {issues.map((i) => (
            <li key={i}>{i}</li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}
