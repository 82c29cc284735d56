import { describe, expect, it } from 'vitest';
import { CertificateSource, certificateIdentityOf, parseSubjectAltName } from './certificate.js';

describe('subjectAltName as node:tls writes it', () => {
  it('splits entries by type, keeping their order', () => {
    expect(
      certificateIdentityOf(
        'plant-7',
        'DNS:gw-7.plant.example, DNS:gw-7.local, IP Address:10.0.0.7, email:ops@plant.example, URI:spiffe://water/gw-7',
      ),
    ).toEqual({
      cn: 'plant-7',
      dns: ['gw-7.plant.example', 'gw-7.local'],
      email: ['ops@plant.example'],
      uri: ['spiffe://water/gw-7'],
    });
  });

  it('reads JSON-quoted values, so a comma inside a value cannot forge another entry (CVE-2021-44532)', () => {
    expect(parseSubjectAltName('DNS:a.example, URI:"urn:x, DNS:evil.example", email:b@c')).toEqual([
      ['DNS', 'a.example'],
      ['URI', 'urn:x, DNS:evil.example'],
      ['email', 'b@c'],
    ]);
  });
});

describe('certificate source', () => {
  const cert = certificateIdentityOf('plant-7', 'DNS:gw-7.plant.example, URI:spiffe://water/gw-7');

  it('takes the CN or the first SAN entry of the configured type as the username', async () => {
    const req = { clientId: 'c', certificate: cert };
    expect(await new CertificateSource({ usernameFrom: 'cn' }).authenticate(req)).toEqual({
      result: 'allow',
      username: 'plant-7',
    });
    expect(await new CertificateSource({ usernameFrom: 'dns' }).authenticate(req)).toEqual({
      result: 'allow',
      username: 'gw-7.plant.example',
    });
    expect(await new CertificateSource({ usernameFrom: 'uri' }).authenticate(req)).toEqual({
      result: 'allow',
      username: 'spiffe://water/gw-7',
    });
  });

  it('ignores connections without a verified certificate or without the entry', async () => {
    expect(await new CertificateSource({ usernameFrom: 'cn' }).authenticate({ clientId: 'c' })).toEqual({
      result: 'ignore',
    });
    expect(
      await new CertificateSource({ usernameFrom: 'email' }).authenticate({
        clientId: 'c',
        certificate: cert,
      }),
    ).toEqual({ result: 'ignore' });
  });
});
