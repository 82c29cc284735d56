import { useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { useT } from '../i18n/i18n-context.js';
import { registerGateway, type Credentials } from './fleet-api.js';

/**
 * Registers a gateway and shows the MQTT secret it was issued. The server keeps only the hash,
 * so this is the one moment anyone can read it: the form says so and offers a copy button.
 */
export function RegisterGateway({ onDone, onRegistered }: { onDone: () => void; onRegistered: () => void }) {
  const t = useT();
  const [site, setSite] = useState('');
  const [node, setNode] = useState('');
  const [name, setName] = useState('');
  const [project, setProject] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [issued, setIssued] = useState<Credentials>();
  const [copied, setCopied] = useState(false);

  if (issued !== undefined) {
    return (
      <section className="fleet-card secret-card" data-testid="issued-secret">
        <h3>{t('fleet.reg.registered', { site: issued.gateway.site, node: issued.gateway.node })}</h3>
        <p className="secret-warning" role="alert">
          {t('fleet.reg.warning')}
        </p>
        <dl className="secret">
          <dt>{t('fleet.reg.username')}</dt>
          <dd className="mono">{issued.mqtt.username}</dd>
          <dt>{t('fleet.reg.password')}</dt>
          <dd className="mono">{issued.mqtt.password}</dd>
        </dl>
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard.writeText(issued.mqtt.password).then(
              () => setCopied(true),
              () => setError(t('fleet.reg.copyFailed')),
            );
          }}
        >
          {copied ? t('fleet.reg.copied') : t('fleet.reg.copy')}
        </button>{' '}
        <button type="button" className="primary" onClick={onDone}>
          {t('fleet.reg.stored')}
        </button>
        {error !== undefined ? <p className="alarm-error">{error}</p> : null}
      </section>
    );
  }

  return (
    <form
      className="alarm-form fleet-card"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        registerGateway({ site, node, name, ...(project.trim() !== '' && { project: project.trim() }) })
          .then((c) => {
            setIssued(c);
            onRegistered();
          })
          .catch((err: unknown) => setError(actionErrorText(err, t('fleet.do.register'), 'engineer', t)))
          .finally(() => setBusy(false));
      }}
    >
      <label>
        {t('fleet.reg.site')}
        <input
          value={site}
          required
          onChange={(e) => setSite(e.target.value)}
          placeholder={t('fleet.reg.sitePlaceholder')}
        />
      </label>
      <label>
        {t('fleet.reg.node')}
        <input
          value={node}
          required
          onChange={(e) => setNode(e.target.value)}
          placeholder={t('fleet.reg.nodePlaceholder')}
        />
      </label>
      <label>
        {t('fleet.reg.name')}
        <input value={name} required maxLength={200} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        {t('fleet.reg.project')}
        <input
          value={project}
          onChange={(e) => setProject(e.target.value)}
          placeholder={t('fleet.reg.optional')}
        />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {t('fleet.reg.submit')}
      </button>
      <button type="button" onClick={onDone}>
        {t('fleet.cancel')}
      </button>
      {error !== undefined ? (
        <p className="alarm-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
