/**
 * Byte transports under a Modbus session. The session never sees a socket: it gets a Connection
 * that writes bytes and reports data and loss, so the same session runs over TCP, a serial port
 * or an in-memory pair in tests.
 */
export interface ConnectionEvents {
  onData(chunk: Uint8Array): void;
  /** Called once when the link is lost or closed; `error` says why when it was not `close()`. */
  onClose(error?: Error): void;
}

export interface Connection {
  write(bytes: Uint8Array): void;
  /** Closes the link and resolves once its resources are released; idempotent. */
  close(): Promise<void>;
}

export interface Transport {
  /** "tcp://host:port", "serial:/dev/ttyS0" …: for logs and error messages. */
  readonly description: string;
  /**
   * Opens one connection, or rejects with a WatershedError. Serial transports that share a bus
   * between devices set `exclusive` so the client keeps one request in flight at a time.
   */
  open(events: ConnectionEvents): Promise<Connection>;
  readonly exclusive?: boolean;
}
