import { useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { registerGateway, type Credentials } from './fleet-api.js';

/**
 * Registers a gateway and shows the MQTT secret it was issued. The server keeps only the hash,
 * so this is the one moment anyone can read it: the form says so and offers a copy button.
 */
export function RegisterGateway({ onDone, onRegistered }: { onDone: () => void; onRegistered: () => void }) {
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
        <h3>
          Gateway {issued.gateway.site}.{issued.gateway.node} registered
        </h3>
        <p className="secret-warning" role="alert">
          Copy the password now: it will not be shown again. Only its hash is kept; if it is lost, issue new
          credentials.
        </p>
        <dl className="secret">
          <dt>MQTT username</dt>
          <dd className="mono">{issued.mqtt.username}</dd>
          <dt>MQTT password</dt>
          <dd className="mono">{issued.mqtt.password}</dd>
        </dl>
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard.writeText(issued.mqtt.password).then(
              () => setCopied(true),
              () => setError('Could not copy: select the password and copy it by hand.'),
            );
          }}
        >
          {copied ? 'Copied' : 'Copy password'}
        </button>{' '}
        <button type="button" className="primary" onClick={onDone}>
          I have stored it
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
          .catch((err: unknown) => setError(actionErrorText(err, 'register the gateway', 'engineer')))
          .finally(() => setBusy(false));
      }}
    >
      <label>
        Site
        <input value={site} required onChange={(e) => setSite(e.target.value)} placeholder="e.g. north" />
      </label>
      <label>
        Node id (its MQTT username)
        <input
          value={node}
          required
          onChange={(e) => setNode(e.target.value)}
          placeholder="e.g. gw-north-1"
        />
      </label>
      <label>
        Name
        <input value={name} required maxLength={200} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Project (installation administrators only)
        <input value={project} onChange={(e) => setProject(e.target.value)} placeholder="optional" />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        Register
      </button>
      <button type="button" onClick={onDone}>
        Cancel
      </button>
      {error !== undefined ? (
        <p className="alarm-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
