import type { Row } from '@watershed/rule-sql';
import { Type, type Static } from 'typebox';
import type { ActionType } from './action.js';
import { compileTemplate, type Template } from './template.js';

export const RepublishConfig = Type.Object(
  {
    type: Type.Literal('republish'),
    /** Topic template, e.g. `ws/v1/${site}/alerts/flow`. Must render to a topic without wildcards. */
    topic: Type.String({ minLength: 1 }),
    /** Payload template; empty or absent publishes the whole row as JSON (EMQX default). */
    payload: Type.Optional(Type.String()),
    qos: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)])),
    retain: Type.Optional(Type.Boolean()),
    /** MQTT 5 user properties; values are templates. */
    userProperties: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: false },
);
export type RepublishConfig = Static<typeof RepublishConfig>;

/** Publishes each row to a templated topic (EMQX `republish`). */
export const republishAction: ActionType<RepublishConfig> = {
  type: 'republish',
  description: 'Publish each output row to an MQTT topic',
  configSchema: RepublishConfig,
  create(config, deps) {
    const topic = compileTemplate(config.topic);
    const payload: Template =
      config.payload === undefined || config.payload === ''
        ? (row: Row) => JSON.stringify(row)
        : compileTemplate(config.payload);
    const props = Object.entries(config.userProperties ?? {}).map(
      ([k, v]) => [k, compileTemplate(v)] as const,
    );
    const qos = config.qos ?? 0;
    const retain = config.retain ?? false;
    return {
      run(rows) {
        for (const row of rows) {
          const t = topic(row);
          // A rendered topic must be a topic name, not a filter [MQTT-3.3.2-2].
          if (t === '' || t.includes('+') || t.includes('#')) {
            throw new Error(`republish topic "${t}" is not a valid topic name`);
          }
          const userProperties =
            props.length === 0 ? undefined : Object.fromEntries(props.map(([k, v]) => [k, v(row)]));
          deps.source.publish({
            topic: t,
            payload: payload(row),
            qos,
            retain,
            ...(userProperties ? { userProperties } : {}),
          });
        }
      },
    };
  },
};
