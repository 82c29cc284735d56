import { Type, type Static } from 'typebox';
import { Name } from './names.js';
import { DataType, Quantity } from './point.js';

/** One tag as an edge gateway announces it: enough for the cloud to register the point. */
export const TagInfo = Type.Object(
  {
    name: Name,
    dataType: DataType,
    unit: Type.Optional(Type.String()),
    quantity: Type.Optional(Quantity),
    description: Type.Optional(Type.String()),
    asset: Type.Optional(Name),
    writable: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type TagInfo = Static<typeof TagInfo>;

export const GroupInfo = Type.Object(
  {
    name: Name,
    device: Name,
    intervalMs: Type.Integer({ minimum: 1 }),
    tags: Type.Array(TagInfo),
  },
  { additionalProperties: false },
);
export type GroupInfo = Static<typeof GroupInfo>;

/**
 * Retained on `ws/v1/{site}/{node}/mgmt/status`. Published when the gateway comes online with
 * its full tag catalog (a birth certificate, as Sparkplug does), and as the MQTT will with
 * `online: false` so the cloud learns of a dead link from the broker itself [MQTT-3.1.2-8].
 */
export const EdgeStatus = Type.Object(
  {
    v: Type.Literal(1),
    node: Name,
    online: Type.Boolean(),
    ts: Type.Integer(),
    version: Type.Optional(Type.String()),
    configVersion: Type.Optional(Type.String()),
    groups: Type.Optional(Type.Array(GroupInfo)),
  },
  { additionalProperties: false },
);
export type EdgeStatus = Static<typeof EdgeStatus>;
