import type { MessageProperties, QoS } from './types.js';

/** What a connection holds and takes besides its socket (connection.ts). */

export interface Will {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: QoS;
  readonly retain: boolean;
  readonly properties: MessageProperties | undefined;
}

export interface CloseOptions {
  /** The client ended the connection with DISCONNECT. */
  graceful?: boolean;
  /** Publish the will (default: when not graceful). */
  publishWill?: boolean;
  /** MQTT 5: reason code of a DISCONNECT sent before closing (connected clients only). */
  reasonCode?: number;
  /** Extra detail for the log line (an error, a reason string). */
  detail?: unknown;
  /** Let written data (a refusing CONNACK) reach the peer before the socket closes. */
  flush?: boolean;
}
