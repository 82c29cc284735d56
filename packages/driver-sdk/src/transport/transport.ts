/**
 * Byte transports under a protocol session. A session never sees a socket: it gets a Connection
 * that writes bytes and reports data and loss, so the same session runs over TCP, a serial port
 * or an in-memory pair in tests.
 *
 * Transports know nothing of any protocol's error catalog: each driver passes a `LinkErrorFactory`
 * that turns "what was lost and why" into its own WS_ERR_<PROTO>_DISCONNECTED, so health records
 * and sample reasons keep the driver's codes.
 */
export interface ConnectionEvents {
  onData(chunk: Uint8Array): void;
  /** Called once when the connection is lost or closed; `error` says why. */
  onClose(error?: Error): void;
}

export interface Connection {
  write(bytes: Uint8Array): void;
  /** Closes the connection and resolves once its resources are released; idempotent. */
  close(): Promise<void>;
}

export interface Transport {
  /** "tcp://host:port", "serial:/dev/ttyS0@9600" …: for logs and error messages. */
  readonly description: string;
  /** Opens one connection, or rejects with a WatershedError. */
  open(events: ConnectionEvents): Promise<Connection>;
  /**
   * A shared medium (an RS-485 bus): the client keeps one request in flight at a time across
   * every device on it.
   */
  readonly exclusive?: boolean;
}

/**
 * Makes the driver's "not connected" error: `description` names the transport, `why` is the
 * reason in words, `cause` the underlying error if there is one.
 */
export type LinkErrorFactory = (description: string, why: string, cause?: unknown) => Error;
