/** Test support: reads a whole stream back in order, as a downstream consumer would. */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

export interface StoredMessage {
  readonly seq: number;
  readonly subject: string;
  readonly data: Uint8Array;
  readonly msgId: string | undefined;
  json(): unknown;
}

/** Every message in `stream`, by stream sequence, through an ordered consumer. */
export async function readStream(url: string, stream: string): Promise<StoredMessage[]> {
  const nc = await connect({ servers: url, maxReconnectAttempts: 0 });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream);
    const total = info.state.messages;
    const out: StoredMessage[] = [];
    if (total === 0) return out;
    const js = jsm.jetstream();
    const consumer = await js.consumers.get(stream);
    const messages = await consumer.consume();
    for await (const m of messages) {
      const data = m.data;
      out.push({
        seq: m.seq,
        subject: m.subject,
        data,
        msgId: m.headers?.get('Nats-Msg-Id'),
        json: () => JSON.parse(Buffer.from(data).toString('utf8')) as unknown,
      });
      if (m.info.pending === 0) break;
    }
    return out;
  } finally {
    await nc.close();
  }
}
