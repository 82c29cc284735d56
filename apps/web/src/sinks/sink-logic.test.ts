import { describe, expect, it } from 'vitest';
import {
  addReadings,
  configFromForm,
  formFromConfig,
  problemsByField,
  ratesBetween,
  serverProblems,
  sparkPoints,
  statusOf,
  successSeries,
} from './sink-logic.js';
import type { SinkView } from './sinks-api.js';

const view = (id: string, m: Partial<SinkView['metrics']> = {}, enabled = true): SinkView => ({
  id,
  type: 'http',
  origin: 'api',
  enabled,
  health: { state: 'up', alarm: false, failures: 0 },
  metrics: {
    matched: 0,
    success: 0,
    failed: 0,
    dropped: 0,
    queued: 0,
    inflight: 0,
    queuedMemory: 0,
    queuedDisk: 0,
    diskBytes: 0,
    recovered: 0,
    retries: 0,
    batches: 0,
    ...m,
  },
  rules: [],
});

describe('sink form', () => {
  it('round-trips a config through the form, keeping fields the form does not show', () => {
    const config = {
      url: 'https://h.example/hook',
      headers: { Authorization: '******', 'X-Plant': '7' },
      batch: { maxRows: 100 },
      mappings: [{ from: 'a/#', to: 'b/#' }],
    };
    const values = formFromConfig('http', config);
    expect(values).toMatchObject({
      url: 'https://h.example/hook',
      headers: 'Authorization: ******\nX-Plant: 7',
      'batch.maxRows': '100',
      'batch.maxDelayMs': '',
      method: '',
    });
    expect(configFromForm('http', values, config)).toEqual({ config, problems: [] });
  });

  it('leaves empty optional fields out (the default applies) and drops objects they empty', () => {
    const values = { ...formFromConfig('http', {}), url: 'http://x/', 'batch.maxRows': '' };
    expect(configFromForm('http', values, { batch: { maxRows: 5 } }).config).toEqual({ url: 'http://x/' });
  });

  it('converts numbers, numeric selects, lists and booleans', () => {
    const values = {
      ...formFromConfig('mqtt-bridge', {}),
      url: 'mqtts://b:8883',
      clientId: 'plant7',
      protocolVersion: '5',
      qos: '0',
      retain: true,
      'retry.initialMs': '250',
    };
    expect(configFromForm('mqtt-bridge', values).config).toEqual({
      url: 'mqtts://b:8883',
      clientId: 'plant7',
      protocolVersion: 5,
      qos: 0,
      retain: true,
      retry: { initialMs: 250 },
    });
    const nats = {
      ...formFromConfig('nats-jetstream', {}),
      servers: 'nats://a:4222, nats://b:4222\n',
      'stream.name': 'WS',
    };
    expect(configFromForm('nats-jetstream', nats).config).toEqual({
      servers: ['nats://a:4222', 'nats://b:4222'],
      stream: { name: 'WS' },
    });
  });

  it('finds what the browser can: required, pattern, whole numbers, header lines — by JSON pointer', () => {
    const values = {
      ...formFromConfig('http', {}),
      url: 'ftp://x',
      headers: 'no colon here',
      'batch.maxRows': '0',
      timeoutMs: '1.5',
    };
    const { problems } = configFromForm('http', values);
    expect(problems.map((p) => [p.path, p.key])).toEqual([
      ['/url', 'sinks.check.pattern'],
      ['/headers', 'sinks.check.mapLine'],
      ['/timeoutMs', 'sinks.check.integer'],
      ['/batch/maxRows', 'sinks.check.integer'],
    ]);
    expect(problems[0]?.params).toEqual({ pattern: '^https?://' });
    expect(configFromForm('postgres', formFromConfig('postgres', {})).problems).toEqual([
      { path: '/connectionString', key: 'sinks.check.required' },
    ]);
  });

  it('places server problems beside their field, the rest under the form', () => {
    const body = {
      code: 'WS_ERR_SINK_INVALID',
      problems: [
        { path: '/url', message: 'string matching ^https?://' },
        { path: '/body/x', message: 'odd' },
        'junk',
      ],
    };
    const by = problemsByField('http', serverProblems(body));
    expect(by.get('/url')).toEqual([{ path: '/url', message: 'string matching ^https?://' }]);
    expect(by.get('')).toEqual([{ path: '/body/x', message: 'odd' }]);
    expect(serverProblems(undefined)).toEqual([]);
  });
});

describe('sink rates', () => {
  it('rows per second between readings; a counter that restarted counts from zero', () => {
    const a = { at: 0, m: { matched: 10, success: 10, failed: 0, dropped: 0, queued: 0 } };
    const b = { at: 2_000, m: { matched: 30, success: 26, failed: 2, dropped: 0, queued: 2 } };
    expect(ratesBetween(a, b)).toEqual({ matched: 10, success: 8, failed: 1, dropped: 0 });
    const restarted = { at: 4_000, m: { matched: 4, success: 4, failed: 0, dropped: 0, queued: 0 } };
    expect(ratesBetween(b, restarted).success).toBe(2);
    expect(ratesBetween(undefined, b).matched).toBe(0);
  });

  it('keeps the last readings of listed sinks only, and draws their success rate', () => {
    let h = addReadings(new Map(), [view('a', { success: 0 }), view('b')], 0, 3);
    h = addReadings(h, [view('a', { success: 5 })], 1_000, 3);
    h = addReadings(h, [view('a', { success: 15 })], 2_000, 3);
    h = addReadings(h, [view('a', { success: 15 })], 3_000, 3);
    expect([...h.keys()]).toEqual(['a']);
    expect(h.get('a')!.map((r) => r.at)).toEqual([1_000, 2_000, 3_000]);
    expect(successSeries(h.get('a')!)).toEqual([10, 0]);
    expect(sparkPoints([0, 5, 10], 40, 10)).toBe('0,10 20,5 40,0');
    expect(sparkPoints([0, 0], 40, 10)).toBe('0,10 40,10');
    expect(sparkPoints([], 40, 10)).toBe('');
  });

  it('shows a stopped sink as disabled whatever its last health', () => {
    expect(statusOf(view('a'))).toBe('up');
    expect(statusOf(view('a', {}, false))).toBe('disabled');
  });
});
