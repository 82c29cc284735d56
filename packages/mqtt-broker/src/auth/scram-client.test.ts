import { describe, expect, it } from 'vitest';
import { ScramClient } from './scram-client.js';
import { parseScramCredentials, scramCredentials } from './scram-credentials.js';

describe('SCRAM-SHA-256 primitives', () => {
  it('reproduce the RFC 7677 §3 example exchange', async () => {
    const client = new ScramClient('user', 'pencil', 'rOprNGfwEbeRWgbNEkqO');
    expect(client.first().toString()).toBe('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    const serverFirst =
      'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
    expect((await client.final(Buffer.from(serverFirst))).toString()).toBe(
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    );
    expect(client.verify(Buffer.from('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='))).toBe(true);
    expect(client.verify(Buffer.from('v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='))).toBe(false);
  });

  it('store only StoredKey and ServerKey, in PostgreSQL notation', async () => {
    const text = await scramCredentials('pencil');
    expect(text).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(parseScramCredentials(text)).toMatchObject({ iterations: 4096 });
    expect(parseScramCredentials('SCRAM-SHA-256$100:AAAAAAAAAAA=$AA==:AA==')).toBe(
      'iterations must be at least 4096 (RFC 7677)',
    );
    expect(parseScramCredentials('md5$abc')).toBe(
      'expected SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey',
    );
  });
});
