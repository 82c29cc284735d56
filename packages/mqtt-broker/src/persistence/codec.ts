import type { MessageProperties } from '../types.js';

/**
 * MQTT 5 message properties as one JSON column. Everything in them is JSON except the
 * Correlation Data, which is binary and travels as base64.
 */
interface StoredProperties extends Omit<MessageProperties, 'correlationData'> {
  correlationData64?: string;
}

export function encodeProperties(props: MessageProperties | undefined): string | null {
  if (props === undefined) return null;
  const { correlationData, ...rest } = props;
  const stored: StoredProperties =
    correlationData === undefined ? rest : { ...rest, correlationData64: correlationData.toString('base64') };
  return JSON.stringify(stored);
}

export function decodeProperties(json: string | null): MessageProperties | undefined {
  if (json === null) return undefined;
  const { correlationData64, ...rest } = JSON.parse(json) as StoredProperties;
  return correlationData64 === undefined
    ? rest
    : { ...rest, correlationData: Buffer.from(correlationData64, 'base64') };
}

export function encodeIds(ids: readonly number[] | undefined): string | null {
  return ids === undefined ? null : ids.join(',');
}

export function decodeIds(text: string | null): number[] | undefined {
  return text === null ? undefined : text.split(',').map(Number);
}

/** SQLite has no NULL-able number binding distinct from undefined; map both ways. */
export function orNull<T>(v: T | undefined): T | null {
  return v === undefined ? null : v;
}

export function orUndefined<T>(v: T | null): T | undefined {
  return v === null ? undefined : v;
}
