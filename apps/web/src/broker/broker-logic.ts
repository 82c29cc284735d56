import { HttpError } from '../alarms/http.js';
import { formatAge } from '../format/format.js';
import type { MessageKey } from '../i18n/en.js';
import { tEn, type Translate } from '../i18n/translate.js';
import type { Ban, NewBan, RateSample } from './broker-api.js';

/** A principal of one project may not see the broker: it serves the whole installation. */
export function isInstallationOnly(err: unknown): boolean {
  return err instanceof HttpError && err.code === 'WS_ERR_BROKER_INSTALLATION_ONLY';
}

export interface RateSeries {
  messagesIn: [number, number][];
  messagesOut: [number, number][];
  dropped: [number, number][];
  clients: [number, number][];
}

/** The stats history as chart series: [ts, value] pairs, oldest first. */
export function rateSeries(history: readonly RateSample[]): RateSeries {
  const sorted = [...history].sort((a, b) => a.ts - b.ts);
  return {
    messagesIn: sorted.map((s) => [s.ts, s.messagesIn]),
    messagesOut: sorted.map((s) => [s.ts, s.messagesOut]),
    dropped: sorted.map((s) => [s.ts, s.dropped]),
    clients: sorted.map((s) => [s.ts, s.clients]),
  };
}

/** The ban lengths the form offers; `label` is a catalog key (`t(d.label)`). */
export const BAN_DURATIONS: readonly { label: MessageKey; seconds: number | undefined }[] = [
  { label: 'broker.dur.15m', seconds: 15 * 60 },
  { label: 'broker.dur.1h', seconds: 3600 },
  { label: 'broker.dur.24h', seconds: 86_400 },
  { label: 'broker.dur.7d', seconds: 7 * 86_400 },
  { label: 'broker.dur.permanent', seconds: undefined },
];

export interface BanForm {
  clientId: string;
  username: string;
  peer: string;
  reason: string;
  durationS: number | undefined;
}

const IPV4_CIDR = /^(\d{1,3})(\.\d{1,3}){3}(\/\d{1,2})?$/;
const IPV6_CIDR = /^[0-9a-f:.]+(\/\d{1,3})?$/i;

/**
 * The form as the body of POST /broker/bans, or what is wrong with it. Every field given must
 * match, so at least one of client id, username and peer is needed (a ban on nothing would ban
 * nobody, and the server refuses it too).
 */
export function banBody(
  f: BanForm,
  t: Translate = tEn,
): { ok: true; body: NewBan } | { ok: false; error: string } {
  const clientId = f.clientId.trim();
  const username = f.username.trim();
  const peer = f.peer.trim();
  if (clientId === '' && username === '' && peer === '')
    return { ok: false, error: t('broker.ban.needTarget') };
  if (peer !== '' && !validPeer(peer)) return { ok: false, error: t('broker.ban.badPeer', { peer }) };
  return {
    ok: true,
    body: {
      ...(clientId !== '' && { clientId }),
      ...(username !== '' && { username }),
      ...(peer !== '' && { peer }),
      ...(f.reason.trim() !== '' && { reason: f.reason.trim() }),
      ...(f.durationS !== undefined && { durationS: f.durationS }),
    },
  };
}

function validPeer(peer: string): boolean {
  const v4 = IPV4_CIDR.exec(peer);
  if (v4) {
    const [addr, prefix] = peer.split('/');
    return addr!.split('.').every((o) => Number(o) <= 255) && (prefix === undefined || Number(prefix) <= 32);
  }
  if (!peer.includes(':') || !IPV6_CIDR.test(peer)) return false;
  const prefix = peer.split('/')[1];
  return prefix === undefined || Number(prefix) <= 128;
}

/** "client id plc-7 · user ops · peer 10.0.0.0/8" */
export function banTarget(b: Pick<Ban, 'clientId' | 'username' | 'peer'>, t: Translate = tEn): string {
  return [
    b.clientId !== undefined ? t('broker.ban.targetClient', { value: b.clientId }) : undefined,
    b.username !== undefined ? t('broker.ban.targetUser', { value: b.username }) : undefined,
    b.peer !== undefined ? t('broker.ban.targetPeer', { value: b.peer }) : undefined,
  ]
    .filter((s) => s !== undefined)
    .join(' · ');
}

export function banUntilText(b: Pick<Ban, 'until'>, now: number, t: Translate = tEn): string {
  if (b.until === undefined) return t('broker.ban.permanent');
  return b.until <= now ? t('broker.ban.ended') : t('broker.ban.left', { age: formatAge(b.until - now, t) });
}

/** Operator bans are editable here; config bans live in the broker's file, flapping bans end by themselves. */
export function canRemoveBan(b: Pick<Ban, 'source'>): boolean {
  return b.source === 'operator';
}

export function rateText(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}
