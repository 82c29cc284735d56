import { describe, expect, it } from 'vitest';
import {
  escapeLevel,
  filterToSubject,
  subjectMatches,
  subjectToTopic,
  topicToSubject,
  unescapeToken,
} from './subject-mapping.js';

describe('MQTT topic to NATS subject', () => {
  it('maps levels to tokens', () => {
    expect(topicToSubject('ws/v1/site/node/group/data')).toBe('ws.v1.site.node.group.data');
    expect(topicToSubject('ws/v1/a/b/c/data', 'plant7')).toBe('plant7.ws.v1.a.b.c.data');
  });

  it('escapes ".", "*", ">", whitespace and "%" inside a level', () => {
    expect(topicToSubject('plant 7/p.1/a*b>c/100%')).toBe('plant%207.p%2E1.a%2Ab%3Ec.100%25');
    expect(escapeLevel('tab\there')).toBe('tab%09here');
    expect(escapeLevel('héllo/ü')).toBe('héllo/ü'); // non-ASCII kept
  });

  it('maps an empty level to %00 (U+0000 cannot occur in a topic)', () => {
    expect(topicToSubject('a//b')).toBe('a.%00.b');
    expect(topicToSubject('/a')).toBe('%00.a');
  });

  it.each(['ws/v1/s/n/g/data', 'plant 7/p.1/a*b>c/100%', 'a//b', '/x/', 'weird/%2E/%00'])(
    'is reversible for %s',
    (topic) => {
      expect(subjectToTopic(topicToSubject(topic, 'pre.fix'), 'pre.fix')).toBe(topic);
    },
  );

  it('unescapes only what it escaped', () => {
    expect(unescapeToken('a%2Eb')).toBe('a.b');
    expect(unescapeToken('%00')).toBe('');
  });

  it('maps filters: + to *, trailing # to >', () => {
    expect(filterToSubject('ws/v1/+/+/+/data')).toBe('ws.v1.*.*.*.data');
    expect(filterToSubject('ws/#', 'plant7')).toBe('plant7.ws.>');
  });

  it('matches subjects against NATS filters', () => {
    expect(subjectMatches('ws.>', 'ws.v1.a')).toBe(true);
    expect(subjectMatches('ws.>', 'ws')).toBe(false);
    expect(subjectMatches('ws.*.a', 'ws.v1.a')).toBe(true);
    expect(subjectMatches('ws.*.a', 'ws.v1.a.b')).toBe(false);
    expect(subjectMatches('ws.v1', 'ws.v1')).toBe(true);
  });
});
