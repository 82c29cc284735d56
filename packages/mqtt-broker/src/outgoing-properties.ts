import type { IPublishPacket } from 'mqtt-packet';
import type { Outgoing } from './session.js';

/** MQTT 5 properties of an outgoing PUBLISH, with the expiry counted down [MQTT-3.3.2-6]. */
export function publishProperties(out: Outgoing, now: number): IPublishPacket['properties'] | undefined {
  const src = out.properties;
  if (!src && !out.subscriptionIds) return undefined;
  const props: NonNullable<IPublishPacket['properties']> = { ...src };
  if (out.expiresAt !== undefined)
    props.messageExpiryInterval = Math.max(1, Math.ceil((out.expiresAt - now) / 1000));
  if (out.subscriptionIds) {
    props.subscriptionIdentifier =
      out.subscriptionIds.length === 1 ? out.subscriptionIds[0]! : out.subscriptionIds;
  }
  return props;
}

/** A close reason's detail as one log/reason-string line. */
export function describe(detail: unknown): string | undefined {
  if (detail === undefined) return undefined;
  if (detail instanceof Error) return detail.message;
  return typeof detail === 'string' ? detail : JSON.stringify(detail);
}
