export { natsJetStreamSink } from './sink-type.js';
export { NatsJetStreamTransport, type NatsSinkDeps, type NatsSinkStats } from './jetstream-transport.js';
export {
  NatsJetStreamSinkConfigSchema,
  StreamSettingsSchema,
  type NatsJetStreamSinkConfig,
  type StreamSettings,
} from './config.js';
export {
  topicToSubject,
  subjectToTopic,
  filterToSubject,
  escapeLevel,
  unescapeToken,
} from './subject-mapping.js';
export { rowToMessage, type StreamMessage } from './row-message.js';
export { ensureStream, streamConfig } from './stream.js';
export { NatsSinkErrors } from './errors.js';
