/**
 * Byte transports under the IEC 104 master. The link never sees a socket: it gets a Connection
 * that writes bytes and reports data and loss, so the same code runs over TCP or an in-memory
 * pair in tests.
 */
export interface ConnectionEvents {
  onData(chunk: Uint8Array): void;
  /** Called once when the connection is lost or closed; `error` says why when it was not `close()`. */
  onClose(error?: Error): void;
}

export interface Connection {
  write(bytes: Uint8Array): void;
  /** Closes the connection and resolves once its resources are released; idempotent. */
  close(): Promise<void>;
}

export interface Transport {
  /** "tcp://host:port": for logs and error messages. */
  readonly description: string;
  /** Opens one connection, or rejects with a WatershedError (t0 expiry included). */
  open(events: ConnectionEvents): Promise<Connection>;
}
