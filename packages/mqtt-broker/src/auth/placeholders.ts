import type { AuthRequest } from './source.js';

/**
 * Fills EMQX 5 style placeholders (`${clientid}`, `${username}`, `${password}`, `${peerhost}`,
 * `${listener}`, `${cert_common_name}`) from a CONNECT; a value the client did not send is "".
 * Unknown placeholders are left as written, so a typo shows up in what the service receives.
 */
export function fillPlaceholders(template: string, req: AuthRequest): string {
  return template.replace(/\$\{([a-z_]+)\}/g, (whole, name: string) => {
    switch (name) {
      case 'clientid':
        return req.clientId;
      case 'username':
        return req.username ?? '';
      case 'password':
        return req.password?.toString('utf8') ?? '';
      case 'peerhost':
        return req.remoteAddress ?? '';
      case 'listener':
        return req.listener ?? '';
      case 'cert_common_name':
        return req.certificate?.cn ?? '';
      default:
        return whole;
    }
  });
}
